"""The PWA's version: a hash of its app shell (the files web/sw.js caches).

Installed apps keep the shell in a cache named after VERSION and fetch `?v=` assets as immutable,
so a changed file must come with a new version or phones keep the old one. After editing
anything under web/, run

    python3 tools/browser_assets.py

which stamps the hash into web/sw.js (VERSION and the `?v=` of its list) and web/index.html
(`?v=`). e2e/test_browser_pwa.py fails while the stamp is stale.
"""

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


if __name__ == "__main__":
    print(stamp())
