"""The installable app: headers of the static files, the manifest and icons as Chromium sees
them, and a service worker shell that lists every module."""

import gzip
import json
import re
import urllib.request

import requests

from browser_assets import WEB, compressible_paths, content_version, current_version, shell_paths


def test_static_files_are_served_with_security_and_cache_headers(server):
    version = current_version()
    for path, cache in (("/", "no-cache"), ("/index.html", "no-cache"), ("/sw.js", "no-cache"), (f"/js/app.js?v={version}", "immutable"), (f"/css/app.css?v={version}", "immutable")):
        answer = requests.get(server.url + path, timeout=5)
        assert answer.status_code == 200, path
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"] and "unsafe-inline" not in answer.headers["Content-Security-Policy"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert cache in answer.headers["Cache-Control"], (path, answer.headers["Cache-Control"])
    assert requests.get(server.url + "/manifest.webmanifest", timeout=5).headers["Content-Type"].startswith("application/manifest+json")
    assert requests.get(server.url + "/js/api.js", timeout=5).headers["Content-Type"].startswith("text/javascript")
    # No inline script or style anywhere in the page (the CSP would refuse them).
    index = (WEB / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", index) and "<style" not in index and "style=" not in index
    for path in WEB.rglob("*.js"):
        assert "innerHTML" not in path.read_text(), path
    # Everything under web/ is served: helper scripts live in tools/.
    assert not [path for path in WEB.rglob("*") if path.suffix in (".py", ".sh")]
    assert requests.get(server.url + "/icons/make_icons.py", timeout=5).status_code == 404


def test_text_files_are_sent_gzipped_to_browsers_that_accept_it(server):
    # Every text file has a fresh twin: a stale one would send old code to every browser.
    for path in compressible_paths():
        twin = path.with_name(path.name + ".gz")
        assert twin.exists() and gzip.decompress(twin.read_bytes()) == path.read_bytes(), f"{path}: run `python3 tools/browser_assets.py`"
    assert not [twin for twin in WEB.rglob("*.gz") if not twin.with_suffix("").exists()]

    version = current_version()
    for path, source, content_type in (("/", "index.html", "text/html"), (f"/js/app.js?v={version}", "js/app.js", "text/javascript"),
                                       ("/css/app.css", "css/app.css", "text/css"), ("/manifest.webmanifest", "manifest.webmanifest", "application/manifest+json")):
        plain = (WEB / source).read_bytes()
        # urllib, which does not decode, to see the bytes as sent.
        with urllib.request.urlopen(urllib.request.Request(server.url + path, headers={"Accept-Encoding": "br, gzip;q=0.8"}), timeout=5) as zipped:
            body = zipped.read()
        assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["Vary"] == "Accept-Encoding", path
        assert zipped.headers["Content-Type"].startswith(content_type), (path, zipped.headers["Content-Type"])
        assert len(body) < len(plain) / 2 and gzip.decompress(body) == plain, path
        assert "nosniff" in zipped.headers["X-Content-Type-Options"]
        for refusing in ("identity", "gzip;q=0", "br"):
            answer = requests.get(server.url + path, headers={"Accept-Encoding": refusing}, timeout=5)
            assert "Content-Encoding" not in answer.headers and answer.content == plain, (path, refusing)
            assert answer.headers["Vary"] == "Accept-Encoding" and answer.headers["Content-Type"].startswith(content_type)
    # A gzipped answer revalidates on its own ETag, and images are sent as they are.
    first = requests.get(server.url + "/js/api.js", timeout=5)
    assert first.headers["Content-Encoding"] == "gzip"
    assert requests.get(server.url + "/js/api.js", headers={"If-None-Match": first.headers["ETag"]}, timeout=5).status_code == 304
    icon = requests.get(server.url + "/icons/icon-192.png", timeout=5)
    assert "Content-Encoding" not in icon.headers and icon.content == (WEB / "icons" / "icon-192.png").read_bytes()


def test_chromium_finds_the_app_installable(server, browsers):
    page = browsers(server.url)
    page.open("#/login")
    page.find("#login-username")
    page.wait(lambda: page.js("return navigator.serviceWorker.ready.then(() => true)"), message="service worker")
    manifest = page.cdp("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    assert page.cdp("Page.getInstallabilityErrors")["installabilityErrors"] == []
    caches = page.driver.execute_async_script("caches.keys().then(arguments[0])")
    assert caches == [f"stracker-shell-v{current_version()}"]


def test_shell_version_is_stamped():
    """A changed shell file without a new version would never reach installed apps."""
    assert current_version() == content_version(), "web/ changed: run `python3 tools/browser_assets.py`"


def test_service_worker_caches_every_module():
    """A module missing from sw.js's shell would break the app offline; ?v= must match index.html."""
    listed = set(shell_paths())
    on_disk = {str(path.relative_to(WEB)) for path in (WEB / "js").rglob("*.js")} | {"css/app.css"}
    assert on_disk <= listed, on_disk - listed
    assert all((WEB / path).exists() for path in listed)
    index = (WEB / "index.html").read_text()
    sw = (WEB / "sw.js").read_text()
    for asset in re.findall(r'(?:href|src)="([^"]+\?v=[^"]+)"', index):
        assert f"'{asset}'" in sw, asset
    manifest = json.loads((WEB / "manifest.webmanifest").read_text())
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        data = (WEB / icon["src"]).read_bytes()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and f"{width}x{height}" == icon["sizes"]
    assert (WEB / "icons" / "apple-touch-icon.png").exists()


def test_a_new_version_replaces_the_old_cache(make_server, browsers, tmp_path):
    """A changed sw.js installs beside the running one, the page offers a reload, and activation
    removes the old version's cache."""
    import shutil

    web = tmp_path / "web"
    shutil.copytree(WEB, web)
    server = make_server(WEB_DIR=str(web))
    page = browsers(server.url)
    page.open("#/login")
    page.find("#login-username")
    page.wait(lambda: page.js("return navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"), message="controlled")
    assert page.driver.execute_async_script("caches.keys().then(arguments[0])") == [f"stracker-shell-v{current_version()}"]

    sw = web / "sw.js"
    sw.write_text(sw.read_text().replace(f"const VERSION = '{current_version()}';", "const VERSION = 'next';"))
    page.driver.refresh()
    page.wait_text("#toast", "new version")
    page.click(".toast-action")
    page.wait(lambda: page.driver.execute_async_script("caches.keys().then(arguments[0])") == ["stracker-shell-vnext"], message="only the new cache")
    page.find("#login-username")


def test_colors_meet_aa_contrast():
    """Text colors of both themes against the surfaces they sit on: at least 4.5:1."""
    css = (WEB / "css" / "app.css").read_text()

    def tokens(selector):
        block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", css, re.S).group(1)
        return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", block))

    def luminance(color):
        channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def ratio(a, b):
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for theme in (tokens(":root"), tokens(':root[data-theme="dark"]')):
        for fg, bg in [("text", "bg"), ("text", "surface"), ("text", "surface-2"), ("muted", "bg"), ("muted", "surface"), ("muted", "surface-2"),
                       ("on-brand", "brand"), ("warn-text", "warn-bg"), ("brand-strong", "surface"), ("brand-strong", "bg"), ("bad", "surface"), ("bad", "bg")]:
            assert ratio(theme[fg], theme[bg]) >= 4.5, (fg, bg, theme[fg], theme[bg])
