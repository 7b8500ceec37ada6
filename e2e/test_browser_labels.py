"""Funnel labels as the old client allowed them (an emoji or up to 8 characters: "x", "$", "🍕🍔")
fit their slot on the dashboard, in the spending list and in Settings, light and dark; and
History's spendings of a period include one at the period's very first millisecond (the API's
bounds are exclusive)."""

import pytest

from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import funnel

LABELS = [("🍕🍔", "Take-away"), ("Food $", "Groceries and the market"), ("x", "Other"), ("🍞" * 8, "Bakery")]

# For each label slot: does its text fit inside it, and does it stay clear of what follows it?
FITS = """
return [...document.querySelectorAll(arguments[0])].filter((e) => e.offsetParent).map((e) => {
  const box = e.getBoundingClientRect(), next = e.nextElementSibling && e.nextElementSibling.getBoundingClientRect();
  return {text: e.textContent, fits: e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1,
          clear: !next || box.right <= next.left + 0.5};
});
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_short_labels_fit_everywhere(server, browsers, scheme):
    account = register(server.url)
    for label, name in LABELS:
        answer = account.post("/funnel/", json={"name": name, "limit": 200, "color": "#3a7d44", "emoji": label, "shared": True})
        assert answer.status_code == 201, answer.text
        account.post("/spending/", json={"amount": 4.5, "funnel_id": funnel(account, name)["id"], "note": "label check"})
    page = browsers(server.url, dark=scheme == "dark")
    sign_in_with_tokens(page, account)
    page.wait(lambda: len(page.all(".funnel")) == 2 + len(LABELS), message="every card")

    for selector in (".f-emoji", ".s-emoji"):
        slots = page.js(FITS, selector)
        assert {s["text"] for s in slots} >= {label for label, _ in LABELS}, slots
        assert all(s["fits"] and s["clear"] for s in slots), slots
    page.screenshot_full(f"labels-dashboard-{scheme}")

    page.route("#/settings")
    page.wait(lambda: len(page.all(".swatch")) == 2 + len(LABELS), message="the funnels in Settings")
    swatches = page.js(FITS, ".swatch")
    assert all(s["fits"] for s in swatches), swatches
    page.screenshot_full(f"labels-settings-{scheme}")


def test_history_lists_a_spending_at_the_first_instant_of_the_period(server, browsers):
    account = register(server.url)
    food = funnel(account, "Food")
    period = account.get("/history", params={"periods": 1}).json()["periods"][-1]
    assert account.post("/spending/", json={"amount": 7.77, "funnel_id": food["id"], "timestamp": period["start"]}).status_code == 201
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.route("#/history")
    page.wait(lambda: "€7.77" in page.text(".history .spendings"), message="the spending at the period's start listed")
