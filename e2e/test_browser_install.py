"""Installing the PWA (issue 8, item 15), in headless Chromium at 390×844: the manifest lists
screenshots that install dialogs can show, and the dashboard offers to install where the
browser can (Chromium's `beforeinstallprompt`) or says how (iPhone Safari), until dismissed."""

import json

import requests
from browser import sign_in_with_tokens
from browser_assets import WEB
from conftest import register

# A stand-in for Chromium's event (headless Chromium raises the real one once it finds the app
# installable, but when is up to it): the page keeps it and calls prompt() when Install is tapped.
OFFER_INSTALL = """
const event = new Event('beforeinstallprompt', {cancelable: true});
event.prompt = () => { window.__prompted = (window.__prompted || 0) + 1; return Promise.resolve(); };
event.userChoice = Promise.resolve({outcome: arguments[0]});
window.dispatchEvent(event);
return event.defaultPrevented;
"""

# Safari never raises the event: the real one of this Chromium is stopped before the page sees it.
NO_INSTALL_EVENT = "window.addEventListener('beforeinstallprompt', (e) => e.stopImmediatePropagation(), true);"

IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_manifest_lists_screenshots_of_the_app(server, browsers):
    manifest = json.loads((WEB / "manifest.webmanifest").read_text())
    shots = manifest.get("screenshots", [])
    assert len(shots) >= 2, "no screenshots in the manifest"
    for shot in shots:
        answer = requests.get(server.url + "/" + shot["src"], timeout=5)
        assert answer.status_code == 200, shot["src"]
        width, height = png_size(answer.content)
        assert f"{width}x{height}" == shot["sizes"], shot
        assert shot["type"] == "image/png" and shot["form_factor"] == "narrow" and shot["label"]
        assert 320 <= width and height / width <= 2.3  # what Chromium's richer install dialog accepts
    page = browsers(server.url)
    page.open("#/login")
    page.find("#login-username")
    parsed = page.cdp("Page.getAppManifest")
    assert parsed["errors"] == [], parsed["errors"]


def test_the_dashboard_offers_to_install_and_remembers_not_now(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.find(".funnel")
    assert page.js(OFFER_INSTALL, "accepted") is True, "the browser's own mini-infobar was not held back"
    page.wait_text(".install-hint", "Put STracker on your home screen")
    page.click_text(".install-hint button", "Install")
    page.wait(lambda: page.js("return window.__prompted") == 1, message="the browser's install dialog")
    page.wait_text("#toast", "on your home screen")
    assert not page.visible(".install-hint")

    page.driver.refresh()
    page.find(".funnel")
    page.js(OFFER_INSTALL, "dismissed")
    page.wait_text(".install-hint", "works without a connection")
    page.settle()
    page.screenshot("install-hint")
    page.click_text(".install-hint button", "Not now")
    page.wait(lambda: not page.visible(".install-hint"), message="the hint gone")
    page.driver.refresh()
    page.find(".funnel")
    page.js(OFFER_INSTALL, "dismissed")
    page.settle()
    assert not page.visible(".install-hint"), "offered again after Not now"


def test_iphone_safari_is_told_how_to_add_it(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    page.cdp("Emulation.setUserAgentOverride", {"userAgent": IPHONE_SAFARI})
    page.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": NO_INSTALL_EVENT})
    sign_in_with_tokens(page, account)
    page.find(".funnel")
    page.wait_text(".install-hint", "Add to Home Screen")
    assert not [b for b in page.all(".install-hint button") if b.text == "Install"]
    page.settle()
    page.screenshot("install-hint-iphone")
