"""Changing what was recorded (issue 8, item 11), in headless Chromium at 390×844: a spending
is changed by tapping it (amount, funnel, note, date and time on the household's clock, which
is not the phone's here), one is recorded for yesterday or another day before the funnel is
tapped, and a delete can be undone like a create."""

import datetime
import time
import zoneinfo

import pytest

from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import card, funnel, spendings

HOUSEHOLD_ZONE = "Europe/Berlin"
PHONE_ZONE = "America/New_York"  # six hours behind: a date in the wrong zone shows


def household_day(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, zoneinfo.ZoneInfo(HOUSEHOLD_ZONE)).date()


def open_dashboard(server, browsers, account, dark=False):
    account.patch("/household", json={"time_zone": HOUSEHOLD_ZONE})
    page = browsers(server.url, dark=dark)
    page.cdp("Emulation.setTimezoneOverride", {"timezoneId": PHONE_ZONE})
    sign_in_with_tokens(page, account)
    page.find(".funnel")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_spending_is_changed_by_tapping_it(server, browsers, scheme):
    account = register(server.url)
    food, misc = funnel(account, "Food"), funnel(account, "Misc")
    account.post("/spending/", json={"amount": 12.5, "funnel_id": food["id"], "note": "Bread"})
    page = open_dashboard(server, browsers, account, dark=scheme == "dark")
    page.wait_text(".spendings", "Bread")
    page.click(".spendings .s-edit")
    page.wait_text("dialog", "Change €12.50")
    assert page.find("#edit-amount").get_attribute("value") == "12.50"
    today = datetime.datetime.now(zoneinfo.ZoneInfo(HOUSEHOLD_ZONE)).date()
    assert page.find("#edit-date").get_attribute("value") == today.isoformat(), "the date is the household's, not the phone's"
    page.settle()
    page.screenshot(f"edit-spending-{scheme}")

    # A date in the future is refused in words, before the server is asked.
    tomorrow = today + datetime.timedelta(days=1)
    page.js("const d = document.querySelector('#edit-date'); d.removeAttribute('max'); d.value = arguments[0]", tomorrow.isoformat())
    page.click("dialog button[type=submit]")
    page.wait_text("dialog .form-error", "in the future")

    yesterday = today - datetime.timedelta(days=1)
    page.type("#edit-amount", "14,20")
    page.js("const s = document.querySelector('#edit-funnel'); s.value = arguments[0]; s.dispatchEvent(new Event('change'))", misc["id"])
    page.type("#edit-note", "Bread and milk")
    page.js("document.querySelector('#edit-date').value = arguments[0]; document.querySelector('#edit-time').value = '08:15'", yesterday.isoformat())
    page.click("dialog button[type=submit]")
    page.wait_text("#toast", "Spending changed")
    [stored] = spendings(account)
    expected = datetime.datetime.combine(yesterday, datetime.time(8, 15), zoneinfo.ZoneInfo(HOUSEHOLD_ZONE))
    assert (stored["amount"], stored["funnel_id"], stored["note"]) == (14.2, misc["id"], "Bread and milk")
    assert stored["timestamp"] == int(expected.timestamp() * 1000), "08:15 on the household's clock"
    page.wait_text(".spendings", "Yesterday")
    page.wait_text(".spendings", "Bread and milk")

    # Nothing changed: nothing is sent. A spending still on the phone cannot be changed yet.
    page.click(".spendings .s-edit")
    page.click("dialog button[type=submit]")
    page.wait(lambda: not page.all("dialog[open]"), message="closed")
    assert spendings(account)[0]["timestamp"] == stored["timestamp"]
    page.set_offline(True)
    page.type("#amount", "3")
    page.tap(card(page, "Food"))
    page.wait_text(".spending.pending", "Waiting")
    assert not page.all(".spending.pending .s-edit")
    page.set_offline(False)


def test_a_member_cannot_change_anothers_spending_but_the_owner_can(server, browsers):
    owner = register(server.url)
    member = register(server.url, invite=owner.post("/household/invite").json()["code"])
    food = funnel(owner, "Food")
    member.post("/spending/", json={"amount": 4, "funnel_id": food["id"], "note": "Member's"})
    owner.post("/spending/", json={"amount": 5, "funnel_id": food["id"], "note": "Owner's"})
    page = open_dashboard(server, browsers, member)
    page.wait_text(".spendings", "Owner's")
    labels = [b.get_attribute("aria-label") for b in page.all(".spendings .s-edit")]
    assert len(labels) == 1 and "€4.00" in labels[0], labels
    page = open_dashboard(server, browsers, owner)
    page.wait_text(".spendings", "Member's")
    assert len(page.all(".spendings .s-edit")) == 2


def test_record_for_yesterday_or_another_day(server, browsers):
    account = register(server.url)
    page = open_dashboard(server, browsers, account)
    page.click_text(".day-chips button", "Yesterday")
    page.type("#amount", "7.50")
    page.wait_text("#amount-hint", "for yesterday")
    page.tap(card(page, "Food"))
    page.wait_text("#toast", "for yesterday")
    today = datetime.datetime.now(zoneinfo.ZoneInfo(HOUSEHOLD_ZONE)).date()
    page.wait(lambda: len(spendings(account)) == 1, message="stored")
    assert household_day(spendings(account)[0]["timestamp"]) == today - datetime.timedelta(days=1)
    # Back to today for the next one.
    assert page.find(".day-chips [data-day='']").get_attribute("aria-pressed") == "true"
    page.settle()
    page.screenshot("dashboard-yesterday-recorded")

    page.click_text(".day-chips button", "Other day")
    three_days_ago = today - datetime.timedelta(days=3)
    page.js("const d = document.querySelector('#entry-day'); d.value = arguments[0]; d.dispatchEvent(new Event('change'))", three_days_ago.isoformat())
    page.type("#amount", "2")
    page.settle()
    page.screenshot("dashboard-other-day")
    page.tap(card(page, "Misc"))
    page.wait(lambda: len(spendings(account)) == 2, message="stored")
    assert sorted(household_day(s["timestamp"]) for s in spendings(account)) == [three_days_ago, today - datetime.timedelta(days=1)]
    # Today's entry is now, as before.
    page.type("#amount", "1")
    page.tap(card(page, "Food"))
    page.wait(lambda: len(spendings(account)) == 3, message="stored")
    assert abs(spendings(account)[0]["timestamp"] - time.time() * 1000) < 60_000


def test_a_delete_can_be_undone(server, browsers):
    owner = register(server.url)
    member = register(server.url, invite=owner.post("/household/invite").json()["code"])
    food = funnel(owner, "Food")
    spent = member.post("/spending/", json={"amount": 9.99, "funnel_id": food["id"], "note": "cheese"}).json()
    page = open_dashboard(server, browsers, owner)
    before = card(page, "Food").text
    page.wait_text(".spendings", "cheese")
    page.click(".spendings .spending-delete")
    page.click("dialog button[value=ok]")
    page.wait_text("#toast", "Deleted €9.99")
    page.wait(lambda: "cheese" not in page.text(".recent"), message="gone from the list at once")
    assert card(page, "Food").text != before, "the figures still count it"
    page.click_text("#toast button", "Undo")
    page.wait_text(".spendings", "cheese")
    page.wait(lambda: card(page, "Food").text == before, message="the figures as before")
    time.sleep(7)  # past the undo time: nothing was sent
    [kept] = spendings(owner)
    assert (kept["id"], kept["user"]) == (spent, member.username), "the same spending, still the member's"

    page.click(".spendings .spending-delete")
    page.click("dialog button[value=ok]")
    page.wait_text("#toast", "Deleted €9.99")
    time.sleep(2)
    assert len(spendings(owner)) == 1, "sent before the undo time was up"
    page.wait(lambda: spendings(owner) == [], timeout=15, message="deleted on the server after the undo time")


# Wall-clock times on the household's clock around its DST changes (Europe/Berlin 2026: clocks
# go forward 02:00 → 03:00 on 29 March, back 03:00 → 02:00 on 25 October), month and year ends,
# a leap day; read back as Python's zoneinfo reads them (fold=0: the first of a repeated hour).
WALL_TIMES = [
    ("2026-03-29", "01:59"), ("2026-03-29", "03:00"), ("2026-03-29", "12:00"),
    ("2026-10-25", "01:59"), ("2026-10-25", "02:30"), ("2026-10-25", "03:00"),
    ("2026-12-31", "23:59"), ("2027-01-01", "00:00"), ("2028-02-29", "12:34"), ("2026-07-01", "00:00"),
]


def test_the_household_clock_is_read_and_written_by_its_zone(server, browsers):
    account = register(server.url)
    page = open_dashboard(server, browsers, account)
    zone = zoneinfo.ZoneInfo(HOUSEHOLD_ZONE)
    read = page.js("""return Promise.all([import('./js/wall-clock.js'), import('./js/format.js')]).then(([w, f]) => {
        f.setTimeZone(arguments[1]);
        return arguments[0].map(([d, t]) => { const ms = w.instantAt(d, t); return [ms, w.wallClock(ms), w.daysBefore(ms, 1)]; });
    })""", WALL_TIMES, HOUSEHOLD_ZONE)
    for (date, clock), (ms, back, day_before) in zip(WALL_TIMES, read):
        expected = datetime.datetime.combine(datetime.date.fromisoformat(date), datetime.time.fromisoformat(clock), zone)
        assert ms == int(expected.timestamp() * 1000), (date, clock)
        assert back == {"date": date, "time": clock}
        earlier = datetime.datetime.fromtimestamp(day_before / 1000, zone)
        assert (earlier.date(), earlier.strftime("%H:%M")) == (expected.date() - datetime.timedelta(days=1), clock), (date, clock)
    # A time the clocks skip lands just after the gap (02:30 → 03:30 CEST), as zoneinfo reads it.
    skipped = page.js("return import('./js/wall-clock.js').then((w) => w.instantAt('2026-03-29', '02:30'))")
    assert skipped == int(datetime.datetime(2026, 3, 29, 2, 30, tzinfo=zone).timestamp() * 1000)
    assert page.js("return import('./js/wall-clock.js').then((w) => [w.instantAt('2026-02-30', '12:00'), w.instantAt('2026-12-07', '24:00'), w.instantAt('', '')])") == [None, None, None]
