"""Accessibility and polish: every control has a name (Chromium's accessibility tree), the
keyboard alone records a spending with a visible focus, and numbers change without moving the
layout."""

from selenium.webdriver.common.keys import Keys

from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import spendings

CONTROLS = {"button", "textbox", "combobox", "checkbox", "radio", "link", "spinbutton", "menuitem", "tab"}


def unnamed_controls(page):
    nodes = page.cdp("Accessibility.getFullAXTree")["nodes"]
    missing = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if node.get("ignored") or role not in CONTROLS:
            continue
        if not (node.get("name", {}).get("value") or "").strip():
            missing.append((role, node.get("backendDOMNodeId")))
    return missing


def test_every_control_has_a_name(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    page.cdp("Accessibility.enable")
    page.open("#/login")
    page.find("#login-username")
    assert unnamed_controls(page) == []
    page.open("#/register")
    page.type("#reg-username", "someone-new")
    page.click("form button[type=submit]")
    page.find(".secret")
    assert unnamed_controls(page) == []

    sign_in_with_tokens(page, account)
    assert unnamed_controls(page) == []
    page.route("#/history")
    page.find(".chart .column")
    assert unnamed_controls(page) == []
    page.route("#/settings")
    page.wait(lambda: "Loading" not in page.text(".settings"), message="settings loaded")
    assert unnamed_controls(page) == []
    page.click("button[aria-label='Edit Food']")
    page.find("dialog[open]")
    assert unnamed_controls(page) == []


def test_keyboard_only_entry_with_visible_focus(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    amount = page.find("#amount")
    amount.click()
    amount.send_keys("4.5")
    amount.send_keys(Keys.ENTER)  # Enter in the amount field moves to the first funnel
    focused = page.js("return document.activeElement.className")
    assert "funnel" in focused
    outline = page.js("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]")
    assert outline[0] != "none" and outline[1] != "0px"
    page.driver.switch_to.active_element.send_keys(Keys.ENTER)
    page.wait(lambda: [s["amount"] for s in spendings(account)] == [4.5], message="recorded by keyboard")
    # Tab reaches the funnels and then the recent list's delete button.
    page.driver.switch_to.active_element.send_keys(Keys.TAB)
    names = []
    for _ in range(6):
        names.append(page.js("const e = document.activeElement; return e.getAttribute('aria-label') || e.textContent"))
        page.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert any(name.startswith("Delete") for name in names), names


def test_numbers_change_without_moving_the_layout(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    boxes = "return [...document.querySelectorAll('.funnel, .recent, #amount-hint')].map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
    before = page.js(boxes)
    for typed in ("1", "1234.56", "99999", "-7"):
        page.type("#amount", typed)
        assert page.js(boxes) == before, typed
    page.type("#amount", "")
    page.find("#amount").send_keys(Keys.BACKSPACE)
    assert page.js(boxes) == before
