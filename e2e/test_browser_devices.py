"""Settings › Devices (issue 8, item 13), in headless Chromium at 390×844: a browser that signs in
names itself by browser and platform, the person can rename any device, and "Active" is the
device's last request, not its last token refresh."""

import time

import pytest
from browser import login_via_ui
from conftest import register


def devices(page):
    """The device list as the signed-in page's own session reads it (no request of another session)."""
    return page.js("""return fetch('user/devices', {headers: {Authorization: 'Bearer ' +
        JSON.parse(localStorage.getItem('stracker.tokens')).access}}).then((r) => r.json())""")


def test_a_browser_names_itself_when_it_signs_in(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    login_via_ui(page, account)
    expected = page.js("return import('./js/device-name.js').then((m) => m.deviceName())")
    assert " on " in expected and "undefined" not in expected, expected
    names = [d["name"] for d in devices(page)]
    assert expected in names, (expected, names)
    assert any(platform in expected for platform in ("Linux", "Android", "Windows", "macOS", "ChromeOS")), expected


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_rename_a_device_and_see_when_each_was_last_active(server, browsers, scheme):
    account = register(server.url)  # its session (the registration) makes no request until below
    time.sleep(1.1)
    page = browsers(server.url, dark=scheme == "dark")
    login_via_ui(page, account)
    page.route("#/settings")
    page.wait_text("#devices-title + .list", "this device")
    # The account's first session (the registration) is the other device: rename it.
    other = next(d for d in devices(page) if not d["current"])
    page.click(f"button[aria-label='Rename {other['name']}']")
    page.wait_text("dialog[open] .dialog-title", "Rename")
    page.type("#device-name", "Maria's phone")
    page.click("dialog[open] button[type=submit]")
    page.wait_text("#devices-title + .list", "Maria's phone")
    assert any(d["name"] == "Maria's phone" and d["id"] == other["id"] for d in devices(page))
    # Nothing empty is saved.
    page.click("button[aria-label=\"Rename Maria's phone\"]")
    page.type("#device-name", "   ")
    page.click("dialog[open] button[type=submit]")
    page.wait_text("dialog[open] .form-error", "Give the device a name")
    page.click_text("dialog[open] button", "Cancel")
    page.settle()
    page.screenshot(f"settings-devices-{scheme}")

    # The renamed device makes its first request since it signed up: "last active" moves to it,
    # without a token refresh.
    before = next(d for d in devices(page) if d["id"] == other["id"])
    assert before["last_seen_at"] == before["created_at"]
    assert account.get("/overview").status_code == 200
    after = next(d for d in devices(page) if d["id"] == other["id"])
    assert after["last_seen_at"] >= before["created_at"] + 1000, (before, after)
    # The list is ordered by it: the renamed device, used last, comes first.
    assert devices(page)[0]["id"] == other["id"]
    page.route("#/")
    page.find(".funnel")
    page.route("#/settings")
    page.wait_text("#devices-title + .list", "Maria's phone")
    shown = page.text("#devices-title + .list")
    assert "Active" in shown and "undefined" not in shown and "NaN" not in shown
