"""The dashboard and settings in headless Chromium: two-tap entry, preview, undo, shortcuts,
deleting, and editing funnels."""

import time

import requests
from browser import sign_in_with_tokens
from conftest import register


def euro(value: float) -> str:
    """How Chromium's Intl (en-US) writes an amount in EUR."""
    return ("-" if value < 0 else "") + f"€{abs(value):,.2f}"


def card(page, name):
    return page.wait(lambda: next((c for c in page.all(".funnel") if c.find_element("css selector", ".f-name").text == name), None), message=f"card {name}")


def spendings(account):
    """Every spending the account sees (its own session, refreshed when its access token expired)."""
    answer = account.get("/spending/", params={"timestamp_from": 0})
    if answer.status_code == 403:
        pair = requests.post(account.url + "/user/refresh", json={"refresh": account.refresh}, timeout=10).json()
        account.access, account.refresh = pair["access"], pair["refresh"]
        answer = account.get("/spending/", params={"timestamp_from": 0})
    assert answer.status_code == 200, answer.text
    return answer.json()


def funnel(account, name):
    return next(f for f in account.get("/funnel/").json() if f["name"] == name)


def test_record_in_two_taps_and_see_the_allowance_change(server, browsers):
    account = register(server.url)
    food = funnel(account, "Food")
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    food_card = card(page, "Food")
    assert food_card.find_element("css selector", ".f-daily").text == euro(food["daily"])

    page.type("#amount", "12.5")  # tap 1 (typing)
    # Every card previews its allowance after the amount; the old one is struck through.
    assert food_card.find_element("css selector", ".f-daily").text == euro(food["daily"] - 12.5)
    assert food_card.find_element("css selector", ".f-sub s").text == euro(food["daily"])
    misc_card = card(page, "Misc")
    assert misc_card.find_element("css selector", ".f-daily").text == euro(funnel(account, "Misc")["daily"] - 12.5)

    page.tap(food_card)  # tap 2
    page.wait_text("#toast", "recorded in")
    assert page.find("#amount").get_attribute("value") == ""
    page.wait(lambda: len(spendings(account)) == 1, message="the spending stored")
    stored = spendings(account)[0]
    assert stored["amount"] == 12.5 and stored["funnel_id"] == food["id"] and stored["user"] == account.username
    after = funnel(account, "Food")
    assert after["remaining"] == food["remaining"] - 12.5
    page.wait(lambda: card(page, "Food").find_element("css selector", ".f-daily").text == euro(after["daily"]), message="new allowance")
    assert not card(page, "Food").find_elements("css selector", ".f-sub s")
    page.wait_text(".spendings", "€12.50")
    assert "You" in page.text(".spendings")


def test_undo_removes_the_spending(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.type("#amount", "7")
    page.tap(card(page, "Misc"))
    page.click(".toast-action")
    page.wait_text("#toast", "removed")
    time.sleep(1)
    page.wait(lambda: spendings(account) == [], message="no spending left")
    page.wait(lambda: "No spendings yet" in page.text(".recent"), message="empty recent list")


def test_amount_errors_and_no_amount(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.tap(card(page, "Food"))
    page.wait_text("#amount-hint", "Type an amount first")
    page.type("#amount", "1.234")
    page.wait_text("#amount-hint", "At most 2 digits")
    assert page.find("#amount").get_attribute("aria-invalid") == "true"
    page.tap(card(page, "Food"))
    time.sleep(0.5)
    assert spendings(account) == []
    page.type("#amount", "-3,5")  # a refund, with a decimal comma
    page.wait_text("#amount-hint", "Refund of €3.50")
    page.tap(card(page, "Food"))
    page.wait(lambda: [s["amount"] for s in spendings(account)] == [-3.5], message="the refund stored")


def test_url_parameters_prefill_the_entry(server, browsers):
    account = register(server.url)
    misc = funnel(account, "Misc")
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.open(f"?amount=3.25&funnel={misc['id']}#/")
    page.wait(lambda: page.find("#amount").get_attribute("value") == "3.25", message="prefilled amount")
    assert "suggested" in card(page, "Misc").get_attribute("class")
    assert "amount=" not in page.driver.current_url  # not prefilled again on reload
    page.tap(card(page, "Misc"))
    page.wait(lambda: [(s["amount"], s["funnel_id"]) for s in spendings(account)] == [(3.25, misc["id"])], message="stored in Misc")


def test_delete_a_spending_after_confirming(server, browsers):
    account = register(server.url)
    food = funnel(account, "Food")
    account.post("/spending/", json={"amount": 9.99, "funnel_id": food["id"], "note": "cheese"})
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.wait_text(".spendings", "cheese")
    page.click(".spendings .spending-delete")
    page.wait_text("dialog", "Delete €9.99 in Food?")
    page.click("dialog button[value=cancel]")
    time.sleep(0.3)
    assert len(spendings(account)) == 1
    page.click(".spendings .spending-delete")
    page.click("dialog button[value=ok]")
    page.wait(lambda: spendings(account) == [], message="deleted on the server")
    page.wait(lambda: "cheese" not in page.text(".recent"), message="gone from the list")


def test_edit_create_reorder_and_delete_funnels(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.route("#/settings")
    page.click("button[aria-label='Edit Food']")
    page.type("#funnel-name", "Groceries")
    page.type("#funnel-limit", "450")
    page.type("#funnel-emoji", "🥦")
    page.js("const c = document.querySelector('#funnel-color'); c.value = '#2e8b57'; c.dispatchEvent(new Event('input'))")
    page.find("#funnel-shared").click()
    page.click("dialog button[type=submit]")
    # Making a shared funnel personal takes it out of the other members' sight: asked first.
    page.wait_text("dialog[open] .dialog-title", "personal?")
    page.click_text("dialog[open]:not(.sheet) button", "Cancel")
    page.wait(lambda: not page.all("dialog[open] .dialog-title"), message="the question closed")
    assert funnel(account, "Food")["shared"] is True
    page.click("dialog button[type=submit]")
    page.click_text("dialog[open]:not(.sheet) button", "Make personal")
    page.wait(lambda: any(f["name"] == "Groceries" for f in account.get("/funnel/").json()), message="renamed")
    groceries = funnel(account, "Groceries")
    assert (groceries["limit"], groceries["emoji"], groceries["color"], groceries["shared"]) == (450, "🥦", "#2e8b57", False)

    page.click_text("button", "New funnel")
    page.type("#funnel-emoji", "🚗")
    page.type("#funnel-name", "Car")
    page.type("#funnel-limit", "120.50")
    page.click("dialog button[type=submit]")
    page.wait(lambda: any(f["name"] == "Car" for f in account.get("/funnel/").json()), message="created")
    assert funnel(account, "Car")["limit"] == 120.5

    page.click("button[aria-label='Move Car up']")
    page.wait(lambda: [f["name"] for f in account.get("/funnel/").json()] == ["Groceries", "Car", "Misc"], message="reordered")

    page.click("button[aria-label='Edit Misc']")
    page.click_text("dialog button", "Delete")
    page.wait_text("dialog[open] .muted", "spendings")
    page.click_text("dialog button", "Delete funnel and spendings")
    page.wait(lambda: [f["name"] for f in account.get("/funnel/").json()] == ["Groceries", "Car"], message="deleted")

    page.route("#/")
    page.wait(lambda: [e.text for e in page.all(".f-name")] == ["Groceries", "Car"], message="dashboard updated")


def test_enter_in_the_amount_moves_to_the_funnels_and_records_nothing(server, browsers):
    """Issue 8, item 1: Enter (the keypad's "done") must never pick a funnel by itself."""
    from selenium.webdriver.common.keys import Keys

    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    card(page, "Food")
    page.type("#amount", "9")
    page.find("#amount").send_keys(Keys.ENTER)
    focused = page.wait(lambda: page.js("return document.activeElement.closest('.funnel') && document.activeElement.textContent"),
                        message="focus on a funnel")
    assert focused
    time.sleep(1.5)
    assert spendings(account) == [], "Enter in the amount field recorded a spending"
    assert page.find("#amount").get_attribute("value") == "9"
    assert "recorded" not in page.text("#toast")
    # On a funnel, Enter is the second tap: it records there.
    page.driver.switch_to.active_element.send_keys(Keys.ENTER)
    page.wait(lambda: len(spendings(account)) == 1, message="the spending recorded by Enter on the funnel")
