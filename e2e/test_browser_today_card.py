"""The dashboard's "today" figure (issue 8, item 9), in headless Chromium at 390×844: one number
answers "how much can I spend today", a day spent past its share explains itself in words, and
spendings waiting on the phone move the server's figures by the server's own rule (rounded
toward negative infinity), so nothing changes when the server takes them."""

import time
from decimal import ROUND_FLOOR, Decimal

import pytest
from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import card, euro, funnel, spendings


def cents(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def floor_money(minor: int, days: int) -> float:
    """⌊minor / days⌋ in cents, as a euro amount (the server's rounding, also below zero)."""
    return float((Decimal(minor) / days).to_integral_value(rounding=ROUND_FLOOR) / 100)


# The parts of a card whose text does not fit their box (clipped or cut with an ellipsis).
FITS = """
return [...arguments[0].querySelectorAll('.f-name, .f-daily, .f-sub, .f-left')].filter((e) =>
  e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => e.className + ': ' + e.textContent);
"""


def figures(page, name):
    element = card(page, name)
    return element.find_element("css selector", ".f-daily").text, element.find_element("css selector", ".f-sub").text


def view_funnel(page, funnel_id):
    """The funnel as the dashboard computes it now (store.view(): the overview plus what waits)."""
    return page.js("return import('./js/store.js').then((s) => s.view().funnels.find((f) => f.id === arguments[0]))", funnel_id)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_day_ahead_of_plan_says_so_in_words(server, browsers, scheme):
    account = register(server.url)
    created = account.post("/funnel/", json={"name": "Groceries", "limit": 300, "color": "#1982c4", "emoji": "🛒", "shared": True})
    assert created.status_code == 201, created.text
    before = funnel(account, "Groceries")
    after_today = account.get("/overview").json()["period"]["days_after_today"]
    page = browsers(server.url, dark=scheme == "dark")
    sign_in_with_tokens(page, account)

    # Before any spending: today's share, and the even spread of what is left as the second figure.
    value, note = figures(page, "Groceries")
    assert value == euro(before["daily"])
    if after_today == 0:
        assert note == "Last day of this period"
        return  # the last day has no later day to be ahead of
    assert note == f"or {euro(before['per_day'])}/day for {after_today + 1} days"

    # One purchase €4.05 past today's share: the card says €0.00 and why, never "−€4.05" in red.
    account.post("/spending/", json={"amount": round(before["daily"] + 4.05, 2), "funnel_id": before["id"], "note": "big shop"})
    server_figures = funnel(account, "Groceries")
    assert server_figures["daily"] == -4.05
    expected = f"€4.05 ahead of plan · {euro(server_figures['per_day_from_tomorrow'])}/day from tomorrow"
    page.wait(lambda: figures(page, "Groceries") == ("€0.00", expected), message=f"the card reads {expected!r}")
    assert "-" not in figures(page, "Groceries")[0] and "avg" not in card(page, "Groceries").text
    assert page.js(FITS, card(page, "Groceries")) == [], "text cut off on the card"
    page.settle()
    page.screenshot(f"dashboard-ahead-of-plan-{scheme}")

    # Typing an amount previews the same words with the typed amount counted.
    page.type("#amount", "10")
    remaining = cents(server_figures["remaining"]) - 1000
    page.wait(lambda: figures(page, "Groceries")[1] == f"€14.05 ahead of plan · {euro(floor_money(remaining, after_today))}/day from tomorrow",
              message="the preview")
    page.js("const a = document.querySelector('#amount'); a.value = ''; a.dispatchEvent(new Event('input'))")
    page.wait(lambda: figures(page, "Groceries") == ("€0.00", expected), message="the preview gone")

    # Offline, a spending waits on the phone: its figures move by the server's rule, and stay
    # exactly as they are when the server takes it.
    page.set_offline(True)
    page.wait_text("#status", "Offline")
    page.type("#amount", "1")
    page.tap(card(page, "Groceries"))
    page.wait_text("#toast", "saved on this phone")
    remaining = cents(server_figures["remaining"]) - 100
    pending = f"€5.05 ahead of plan · {euro(floor_money(remaining, after_today))}/day from tomorrow"
    page.wait(lambda: figures(page, "Groceries") == ("€0.00", pending), message=f"the pending figures {pending!r}")
    page.set_offline(False)
    page.wait(lambda: len(spendings(account)) == 2, timeout=30, message="the spending sent")
    page.wait(lambda: not page.all(".spending.pending"), message="no longer pending")
    time.sleep(0.5)
    assert figures(page, "Groceries") == ("€0.00", pending)
    sent = funnel(account, "Groceries")
    assert f"{euro(sent['per_day_from_tomorrow'])}/day from tomorrow" in pending


def test_waiting_spendings_round_as_the_server_does_below_zero(server, browsers):
    """An overspent funnel (remaining below zero) with a spending waiting: every figure the
    dashboard computes equals the server's once it has the spending (Math.trunc rounded
    −73.321 to −73.32 where the server floors to −73.33)."""
    account = register(server.url)
    food = funnel(account, "Food")
    account.post("/spending/", json={"amount": round(food["limit"] + 15, 2), "funnel_id": food["id"]})
    days = account.get("/overview").json()["period"]["days_after_today"] + 1
    remaining = cents(funnel(account, "Food")["remaining"])
    # An amount that leaves a remainder that does not divide evenly by the days left.
    amount = next(a for a in range(333, 400) if (remaining - a) % days) if days > 1 else 333
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    card(page, "Food")
    page.set_offline(True)
    page.wait_text("#status", "Offline")
    page.type("#amount", f"{amount / 100:.2f}")
    page.tap(card(page, "Food"))
    page.wait_text(".spending.pending", euro(amount / 100))
    shown = view_funnel(page, food["id"])
    page.set_offline(False)
    page.wait(lambda: len(spendings(account)) == 2, timeout=30, message="the spending sent")
    stored = funnel(account, "Food")
    for key in ("spent", "remaining", "daily", "per_day", "per_day_from_tomorrow"):
        assert shown.get(key) == stored.get(key), f"{key}: the phone showed {shown.get(key)}, the server has {stored.get(key)}"
    assert stored["per_day"] == floor_money(remaining - amount, days)
