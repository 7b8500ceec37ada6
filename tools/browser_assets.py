"""The PWA's version: a hash of its app shell (the files web/sw.js caches).

Installed apps keep the shell in a cache named after VERSION and fetch `?v=` assets as immutable,
so a changed file must come with a new version or phones keep the old one. After editing
anything under web/, run

    python3 tools/browser_assets.py

which stamps the hash into web/sw.js (VERSION and the `?v=` of its list) and web/index.html
(`?v=`), and writes each text file's gzipped twin (`app.js.gz`), which the service sends to
browsers that accept gzip. e2e/test_browser_pwa.py fails while the stamp or a twin is stale.
"""

import gzip
import hashlib
import pathlib
import re

WEB = pathlib.Path(__file__).resolve().parent.parent / "web"
VERSION = re.compile(r"const VERSION = '([0-9a-z]+)';")
QUERY = re.compile(r"\?v=[0-9a-z]+")


def shell_paths():
    """The shell as sw.js lists it, as paths under web/ ("./" is index.html)."""
    listed = re.search(r"const SHELL = \[(.*?)\];", (WEB / "sw.js").read_text(), re.S).group(1)
    return ["index.html" if path == "./" else path.split("?")[0] for path in re.findall(r"'([^']+)'", listed)]


def current_version():
    return VERSION.search((WEB / "sw.js").read_text()).group(1)


def _unstamped(text):
    return QUERY.sub("?v=", VERSION.sub("const VERSION = '';", text))


def content_version():
    digest = hashlib.sha256()
    for path in sorted(set(shell_paths()) | {"sw.js", "index.html"}):
        data = (WEB / path).read_bytes()
        if path in ("sw.js", "index.html"):
            data = _unstamped(data.decode()).encode()
        digest.update(path.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:10]


def stamp():
    version = content_version()
    for name in ("sw.js", "index.html"):
        path = WEB / name
        text = QUERY.sub(f"?v={version}", path.read_text())
        path.write_text(VERSION.sub(f"const VERSION = '{version}';", text))
    return version


COMPRESSED = (".html", ".js", ".css", ".svg", ".json", ".webmanifest")


def compressible_paths():
    """The text files under web/, which are also served gzipped."""
    return sorted(path for path in WEB.rglob("*") if path.is_file() and path.suffix in COMPRESSED)


def served_size(path):
    """The bytes a browser that accepts gzip receives for web/<path>."""
    file = WEB / path
    twin = file.with_name(file.name + ".gz")
    return (twin if twin.exists() else file).stat().st_size


def compress():
    """Writes every text file's .gz twin (no timestamp, so an unchanged file gives the same bytes)
    and removes twins whose file is gone."""
    for path in compressible_paths():
        twin = path.with_name(path.name + ".gz")
        data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        if not twin.exists() or twin.read_bytes() != data:
            twin.write_bytes(data)
    for twin in WEB.rglob("*.gz"):
        if not twin.with_suffix("").exists():
            twin.unlink()


if __name__ == "__main__":
    print(stamp())
    compress()
