"""Two members of one household, each on their own phone, see each other's shared spendings,
also one recorded offline (sent once when the connection returns)."""

import json
import time

from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import card, euro, funnel, spendings


def household_of_two(url):
    owner = register(url)
    code = owner.post("/household/invite").json()["code"]
    member = register(url, invite=code)
    return owner, member


def test_members_see_each_others_shared_spendings(server, browsers):
    owner, member = household_of_two(server.url)
    food = funnel(owner, "Food")
    owner_page, member_page = browsers(server.url), browsers(server.url)
    sign_in_with_tokens(owner_page, owner)
    sign_in_with_tokens(member_page, member)
    assert [e.text for e in member_page.all(".f-name")] == ["Food", "Misc"]

    owner_page.type("#amount", "5")
    owner_page.tap(card(owner_page, "Food"))
    owner_page.wait(lambda: len(spendings(owner)) == 1, message="the owner's spending stored")

    member_page.driver.refresh()
    member_page.wait_text(".spendings", owner.username)
    assert "€5.00" in member_page.text(".spendings")
    member_page.type("#amount", "7.25")
    member_page.tap(card(member_page, "Food"))
    member_page.wait(lambda: len(spendings(member)) == 2, message="the member's spending stored")

    owner_page.driver.refresh()
    owner_page.wait_text(".spendings", member.username)
    rows = owner_page.text(".spendings")
    assert "€7.25" in rows and "You" in rows
    left = euro(food["limit"] - 12.25).replace(".00", "")
    owner_page.wait(lambda: card(owner_page, "Food").find_element("css selector", ".f-left").text.startswith(euro(food["limit"] - 12.25)), message=f"{left} left")


def test_offline_entry_is_sent_once_when_back_online(server, browsers):
    owner, member = household_of_two(server.url)
    food = funnel(owner, "Food")
    page = browsers(server.url)
    sign_in_with_tokens(page, member)
    before = card(page, "Food").find_element("css selector", ".f-daily").text

    page.set_offline(True)
    page.wait_text("#status", "Offline")
    assert page.js("return navigator.onLine") is False
    page.type("#amount", "4.20")
    page.tap(card(page, "Food"))
    page.wait_text("#toast", "when you are back online")
    # Shown at once, marked pending, and counted in the allowance; nothing reached the server.
    page.wait_text(".spending.pending", "Waiting to be sent")
    assert card(page, "Food").find_element("css selector", ".f-daily").text == euro(food["daily"] - 4.2)
    assert before == euro(food["daily"])
    page.wait_text("#status", "1 spending waiting to be sent")
    assert spendings(owner) == []

    # Reopened while offline: the service worker serves the app, the last known state is shown.
    page.driver.refresh()
    page.wait_text("#status", "Offline")
    page.wait_text(".spending.pending", "€4.20")
    assert card(page, "Food").find_element("css selector", ".f-daily").text == euro(food["daily"] - 4.2)

    page.set_offline(False)
    page.wait(lambda: len(spendings(owner)) == 1, timeout=30, message="the spending sent")
    page.wait(lambda: not page.all(".spending.pending"), message="no longer pending")
    page.wait(lambda: not page.visible("#status"), message="banner gone")
    time.sleep(2)
    stored = spendings(owner)
    assert len(stored) == 1 and stored[0]["amount"] == 4.2 and stored[0]["user"] == member.username

    # A second member's phone shows it once.
    other = browsers(server.url)
    sign_in_with_tokens(other, owner)
    other.wait_text(".spendings", "€4.20")
    assert len(other.all(".spendings .spending")) == 1
    assert member.username in other.text(".spendings")


def test_a_resent_spending_is_not_duplicated(server, browsers):
    """The answer to a send was lost: the outbox sends the same id and body again → still one."""
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.type("#amount", "2.5")
    page.tap(card(page, "Misc"))
    page.wait(lambda: len(spendings(account)) == 1, message="stored")
    stored = spendings(account)[0]
    body = {"id": stored["id"], "amount": 2.5, "funnel_id": stored["funnel_id"], "note": "", "timestamp": stored["timestamp"]}
    entry = {"key": f"create:{stored['id']}", "op": "create", "id": stored["id"], "user": account.username, "seq": 1, "attempts": 1, "body": body}
    # The app has the server's overview with it (what it will show offline after the reload).
    page.wait(lambda: page.text(".spendings").count("€2.50") == 1 and not page.all(".spending.pending"), message="listed as stored")
    page.set_offline(True)
    assert page.idb_put("outbox", entry)
    page.driver.refresh()  # the app starts (offline), finds it waiting and tries to send it
    page.wait(lambda: [e["attempts"] for e in page.outbox()] == [2], message="a send attempt while offline")
    # The server already lists it (the cached overview says so): shown once, not as pending.
    page.wait(lambda: page.text(".spendings").count("€2.50") == 1, message="the cached list shown offline")
    assert page.text(".spendings").count("€2.50") == 1 and not page.all(".spending.pending")
    page.set_offline(False)  # the retry reaches the server, which already has this id and body
    page.wait(lambda: page.outbox() == [], timeout=30, message="outbox drained")
    time.sleep(1.5)
    assert [s["id"] for s in spendings(account)] == [stored["id"]]
    assert json.loads(json.dumps(spendings(account)[0]))["amount"] == 2.5


def test_server_unreachable_then_back(server, browsers):
    """The server itself goes away (the phone still thinks it is online): the service worker
    opens the app from its cache, the spending waits, and is sent once the server is back."""
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.wait(lambda: page.js("return navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"), message="service worker in control")
    server.stop()
    page.driver.refresh()
    page.find(".funnel")
    page.wait_text("#status", "the server does not answer")
    page.type("#amount", "11")
    page.tap(card(page, "Food"))
    page.wait_text(".spending.pending", "€11.00")
    server.start()
    page.wait(lambda: len(spendings(account)) == 1, timeout=40, message="sent after the server came back")
    page.wait(lambda: not page.all(".spending.pending"), message="no longer pending")
    time.sleep(1)
    assert [s["amount"] for s in spendings(account)] == [11]
