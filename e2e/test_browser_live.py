"""Two members of one household on two phones: what one records appears on the other within a
second, with no reload and no poll (GET /events)."""

import time

from browser import sign_in_with_tokens
from test_browser_dashboard import card, euro, funnel
from test_browser_sharing import household_of_two


def test_a_spending_recorded_on_one_phone_appears_on_the_other_within_a_second(server, browsers):
    owner, member = household_of_two(server.url)
    food = funnel(owner, "Food")
    owner_page, member_page = browsers(server.url), browsers(server.url, dark=True)
    sign_in_with_tokens(owner_page, owner)
    sign_in_with_tokens(member_page, member)
    for page in (owner_page, member_page):
        page.wait(lambda page=page: page.js("return document.documentElement.dataset.live") == "on", message="the live stream open")
    member_page.js("window.__loaded = true")  # gone if the page reloads
    before = card(member_page, "Food").find_element("css selector", ".f-left").text

    owner_page.type("#amount", "23.40")
    owner_page.tap(card(owner_page, "Food"))
    tapped = time.monotonic()
    member_page.wait(lambda: "€23.40" in member_page.text(".spendings"), timeout=5, message="the spending on the other phone")
    seen = time.monotonic() - tapped
    left = card(member_page, "Food").find_element("css selector", ".f-left").text
    assert left.startswith(euro(food["limit"] - 23.4)), (before, left)
    assert member_page.js("return window.__loaded") is True, "the page reloaded"
    assert owner.username in member_page.text(".spendings")
    print(f"\nlive: the other phone showed it {seen:.3f} s after the tap")
    assert seen < 1.0, f"{seen:.3f} s"
    member_page.screenshot("live-member-dark")

    # The owner deletes it on another device (the API): both phones follow.
    stored = owner.get("/spending/?timestamp_from=0").json()
    assert owner.delete(f"/spending/{stored[0]['id']}").status_code == 204
    for page in (owner_page, member_page):
        page.wait(lambda page=page: "€23.40" not in page.text(".spendings"), timeout=2, message="gone on both phones")
        assert card(page, "Food").find_element("css selector", ".f-left").text.startswith(euro(food["limit"]))
    assert member_page.js("return window.__loaded") is True, "the page reloaded"
    owner_page.screenshot("live-owner-light")
