"""Every repository path docs/architecture.md names (its links and `Sources/…`-style code spans) exists."""

import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "architecture.md"


def named_paths(text: str):
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" not in target:
            yield (DOC.parent / target).resolve()
    for span in re.findall(r"`((?:Sources|Tests|web|e2e|bench|tools|docs)/[^`\s]*)`", text):
        yield (REPO / span).resolve()


def main() -> int:
    missing = sorted({str(p.relative_to(REPO)) for p in named_paths(DOC.read_text()) if not p.exists()})
    for path in missing:
        print(f"docs/architecture.md names a missing path: {path}")
    count = len(set(named_paths(DOC.read_text())))
    print(f"docs/architecture.md: {count} paths named, {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
