"""History (issue 8, item 10): columns only from the first period with data (not twelve months
of empty bars and limits before the funnels existed), each period's total, a shared funnel's
period split by who recorded, and chart text of at least 12 px on the phone; light and dark."""

import pytest

from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import funnel

# Every text of the chart as the person sees it: its CSS size times the drawing's scale.
CHART_TEXT = """
const chart = document.querySelector('.chart');
const scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
return [...chart.querySelectorAll('text')].map((t) => ({
  text: t.textContent, cls: t.getAttribute('class'), px: parseFloat(getComputedStyle(t).fontSize) * scale,
}));
"""


def middle(period):
    return (period["start"] + period["end"]) // 2


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_begins_with_the_data_totals_each_period_and_splits_shared_funnels(server, browsers, scheme):
    owner = register(server.url, "maria")
    member = register(server.url, "jonas", invite=owner.post("/household/invite").json()["code"])
    food = funnel(owner, "Food")
    assert food["shared"]
    periods = owner.get("/history", params={"periods": 12}).json()["periods"]
    # Spendings from three periods back (imported, say): the history begins there, not a year back.
    for account, amount, period in ((owner, 120, periods[-4]), (member, 30.5, periods[-4]), (owner, 80, periods[-2])):
        answer = account.post("/spending/", json={"amount": amount, "funnel_id": food["id"], "timestamp": middle(period)})
        assert answer.status_code == 201, answer.text
    misc = funnel(owner, "Misc")
    assert member.post("/spending/", json={"amount": 12, "funnel_id": misc["id"], "timestamp": middle(periods[-2]) + 1}).status_code == 201
    car = owner.post("/funnel/", json={"name": "Car", "limit": 300, "color": "#6a4c93", "emoji": "🚗", "shared": False}).json()
    owner.post("/spending/", json={"amount": 45, "funnel_id": car})
    member.post("/spending/", json={"amount": 9.99, "funnel_id": food["id"]})

    page = browsers(server.url, dark=scheme == "dark")
    sign_in_with_tokens(page, owner)
    page.route("#/history")
    page.wait(lambda: len(page.all(".chart .column")) == 4, message="four columns, from the first with a spending")
    page.wait(lambda: page.all(".history .spendings"), message="the current period's spendings")

    texts = page.js(CHART_TEXT)
    small = [t for t in texts if t["px"] < 11.95]
    assert not small, small
    assert len([t for t in texts if t["cls"] == "tick"]) == 4, texts
    assert any(t["cls"] == "tick year" for t in texts), "the year is under the first month"
    assert [t["text"] for t in texts if t["cls"] == "caption"] == ["€54.99"], "the current period's total over its column"

    # The current period: its total (Food, Misc and Car as the server lists them) in words.
    listed = owner.get("/history", params={"periods": 1}).json()["periods"][-1]["funnels"]
    limit = sum(f["limit"] for f in listed)
    summary = page.text(".period-summary")
    assert "so far" in summary and f"€54.99 of €{limit:,.0f}" in summary, summary
    assert "Shared funnels" not in page.text(".history"), "only jonas recorded in shared funnels this period"
    page.screenshot(f"history-begins-{scheme}")

    # The first column: Food alone (Misc and Car had not begun), split by who recorded.
    page.tap(page.all(".chart .column")[0])
    page.wait_text(".period-summary", "€150.50 of €")
    food_limit = next(f["limit"] for f in listed if f["id"] == food["id"])
    assert f"€150.50 of €{food_limit:,.0f}" in page.text(".period-summary")
    rows = page.all(".history .list .list-row")
    assert len(rows) == 1 and "Food" in rows[0].text, [r.text for r in rows]
    assert "You €120.00 · jonas €30.50" in rows[0].text, rows[0].text
    assert "Shared funnels" not in page.text(".history"), "Food's own line says who recorded"
    text = page.text(".history")
    assert "undefined" not in text and "NaN" not in text, text
    page.screenshot_full(f"history-split-{scheme}")

    # Two periods back: two shared funnels, two people; the period's split over both.
    page.tap(page.all(".chart .column")[2])
    page.wait_text(".period-summary", "€92.00 of €")
    page.wait_text(".history", "Shared funnels: You €80.00 · jonas €12.00")

    # Car alone: it began this period, so one column.
    page.click_text(".chips button", "Car")
    page.wait(lambda: len(page.all(".chart .column")) == 1, message="one column for a funnel made this period")
    page.wait_text(".period-summary", "€45.00 of €300")
    assert "members" not in page.js("return document.querySelector('.history .list').innerHTML"), "a personal funnel is not split"


def test_the_chart_is_drawn_again_at_a_new_width(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.route("#/history")
    page.find(".chart .column")
    before = page.js("return document.querySelector('.chart').viewBox.baseVal.width")
    page.cdp("Emulation.setDeviceMetricsOverride", {"width": 700, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    page.wait(lambda: page.js("return document.querySelector('.chart').viewBox.baseVal.width") > before + 200, message="drawn again wider")
    page.wait(lambda: all(t["px"] >= 11.95 and t["px"] <= 12.05 for t in page.js(CHART_TEXT)), message="12 px at the new width")
