"""Token handling in the PWA: an expired or broken access token is refreshed once and the request
retried; a dead session leads to sign-in without losing what was typed or queued; two tabs
never present the same refresh token."""

import json
import time

import requests

from browser import login_via_ui, sign_in_with_tokens
from conftest import register
from test_browser_dashboard import card, spendings


def test_expired_access_token_is_refreshed_and_the_amount_kept(make_server, browsers):
    server = make_server(ACCESS_TTL="10")
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    before = page.tokens()
    page.type("#amount", "8.80")
    time.sleep(11)  # the access token expires while the amount sits typed
    assert requests.get(server.url + "/overview", headers={"Authorization": f"Bearer {before['access']}"}, timeout=5).json()["detail"] == "Authorization expired"
    page.tap(card(page, "Food"))
    page.wait_text("#toast", "recorded in")
    page.wait(lambda: len(spendings(account)) == 1, message="stored after the refresh")
    assert spendings(account)[0]["amount"] == 8.8
    after = page.tokens()
    assert after["access"] != before["access"] and after["refresh"] != before["refresh"]
    assert page.visible(".funnel")  # still signed in
    time.sleep(1)
    assert len(spendings(account)) == 1


def test_corrupted_access_token_is_replaced(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    tokens = page.tokens()
    page.local_storage("stracker.tokens", json.dumps({"access": "not-a-token", "refresh": tokens["refresh"]}))
    page.type("#amount", "3")
    page.tap(card(page, "Misc"))
    page.wait(lambda: len(spendings(account)) == 1, message="stored with a refreshed token")
    assert page.tokens()["access"] != "not-a-token"


def test_dead_session_goes_to_sign_in_and_loses_nothing(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    # A spending recorded while the session is gone, and an amount typed but not yet recorded.
    page.local_storage("stracker.tokens", json.dumps({"access": "broken", "refresh": "broken"}))
    page.type("#amount", "6.60")
    page.tap(card(page, "Food"))
    page.find("#login-username")
    page.wait_text(".form-error", "sign in again")
    assert len(page.outbox()) == 1 and spendings(account) == []

    login_via_ui(page, account)
    page.wait(lambda: len(spendings(account)) == 1, message="the queued spending sent after sign-in")
    assert spendings(account)[0]["amount"] == 6.6

    page.type("#amount", "1.99")
    page.local_storage("stracker.tokens", json.dumps({"access": "broken", "refresh": "broken"}))
    page.route("#/history")  # any request now finds the session dead
    page.find("#login-username")
    login_via_ui(page, account)
    assert page.find("#amount").get_attribute("value") == "1.99"
    time.sleep(1)
    assert len(spendings(account)) == 1


def test_two_tabs_refresh_once(make_server, browsers):
    """Both tabs meet an expired access token at the same moment; the Web Lock lets one rotate
    the pair and the other reuse the result, so reuse detection never revokes the session."""
    server = make_server(ACCESS_TTL="10")
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    first = page.driver.current_window_handle
    page.driver.switch_to.new_window("window")
    second = page.driver.current_window_handle
    page.open("#/")
    page.find(".funnel")
    time.sleep(11)
    at = int(time.time() * 1000) + 1500
    for handle in (first, second):
        page.driver.switch_to.window(handle)
        page.js("const at = arguments[0]; setTimeout(() => { location.hash = '#/history'; }, at - Date.now())", at)
    time.sleep(3)
    for handle in (first, second):
        page.driver.switch_to.window(handle)
        page.find(".chart .column")
        assert not page.visible("#login-username")
    tokens = page.tokens()
    answer = requests.get(server.url + "/user/decode", headers={"Authorization": f"Bearer {tokens['access']}"}, timeout=5)
    assert answer.status_code == 200, answer.text
    answer = requests.post(server.url + "/user/refresh", json={"refresh": tokens["refresh"]}, timeout=5)
    assert answer.status_code == 200, answer.text  # the session was not revoked


def test_a_rotation_by_another_tab_is_used_while_local_storage_lags(make_server, browsers):
    """Chromium copies localStorage between tabs asynchronously, so a tab that takes the refresh
    lock right after another tab rotated the pair may still read the spent refresh token there.
    Presenting it would revoke the session; the rotation recorded in IndexedDB must win."""
    server = make_server(ACCESS_TTL="10")
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.find(".funnel")
    stale = page.tokens()
    # "The other tab": rotates the pair on the server and records it, but this tab's
    # localStorage keeps the spent pair.
    rotated = requests.post(server.url + "/user/refresh", json={"refresh": stale["refresh"]}, timeout=5).json()
    record = {"key": "chain", "chain": [{"used": stale["refresh"], **rotated}]}
    page.wait(lambda: page.idb_put("rotation", record), message="the app's database open with its rotation store")
    time.sleep(11)  # both access tokens expire
    page.route("#/history")
    page.find(".chart .column")
    assert not page.visible("#login-username")
    now = page.tokens()
    assert now["refresh"] not in (stale["refresh"], rotated["refresh"])  # rotated once more, from the recorded pair
    answer = requests.post(server.url + "/user/refresh", json={"refresh": now["refresh"]}, timeout=5)
    assert answer.status_code == 200, answer.text  # the session was not revoked
