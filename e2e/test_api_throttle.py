"""Sign-in throttling over real HTTP: per username, per client address, X-Forwarded-For.

The conftest starts servers with LOGIN_LOCKOUT=3: the first lockout lasts 3 s, the next 6 s.
"""

import time
import uuid

import requests

from conftest import register, wrong_code

USERNAME_LIMIT = 5
ADDRESS_LIMIT = 30


def login(url, username, otp, headers=None):
    return requests.post(url + "/user/login", json={"username": username, "otp": otp}, headers=headers or {}, timeout=10)


def assert_throttled(answer, at_most):
    assert answer.status_code == 429, answer.text
    assert "detail" in answer.json()
    wait = int(answer.headers["Retry-After"])
    assert 1 <= wait <= at_most, wait
    return wait


def test_five_wrong_codes_lock_the_username_even_for_the_right_code(server):
    account = register(server.url, "Heidi")
    bad = wrong_code(account.secret)
    right = account.fresh_code()
    for _ in range(USERNAME_LIMIT):
        answer = login(server.url, account.username, bad)
        assert (answer.status_code, answer.json()["detail"]) == (403, "Invalid password")
    wait = assert_throttled(login(server.url, account.username, right), at_most=3)
    # Other spellings of the same username are the same username.
    assert_throttled(login(server.url, "HEIDI", right), at_most=3)
    assert_throttled(login(server.url, " heidi ", bad), at_most=3)
    # Someone else from the same address is not locked out (5 failures is far below 30).
    other = register(server.url)
    assert other.login().status_code == 200

    # The refused right code was not consumed: once the lockout is over, it works.
    time.sleep(wait + 0.2)
    answer = login(server.url, account.username, right)
    assert answer.status_code == 200, answer.text


def test_lockout_doubles_while_failures_continue(server):
    account = register(server.url)
    bad = wrong_code(account.secret)
    right = account.fresh_code()
    for _ in range(USERNAME_LIMIT):
        assert login(server.url, account.username, bad).status_code == 403
    first = assert_throttled(login(server.url, account.username, bad), at_most=3)
    time.sleep(first + 0.2)

    # Lockout over: wrong codes are plain 403 again, until the next 5 lock it for twice as long.
    for _ in range(USERNAME_LIMIT):
        assert login(server.url, account.username, bad).status_code == 403
    locked_at = time.time()
    second = assert_throttled(login(server.url, account.username, right), at_most=6)
    assert second >= 5, second
    time.sleep(max(0, locked_at + 3.5 - time.time()))
    assert_throttled(login(server.url, account.username, right), at_most=3)  # the first length has passed: still locked
    time.sleep(max(0, locked_at + 6.3 - time.time()))
    answer = login(server.url, account.username, right)
    assert answer.status_code == 200, answer.text


def test_thirty_failures_from_one_address_lock_out_every_username(make_server):
    server = make_server()
    victims = [register(server.url) for _ in range(3)]
    names = [v.username for v in victims] + ["ghost-" + uuid.uuid4().hex[:6] for _ in range(7)]
    failures = 0
    for name in names:  # 10 usernames x 3 failures: no username reaches its own limit of 5
        for _ in range(3):
            answer = login(server.url, name, "000000" if name.startswith("ghost") else wrong_code(victims[names.index(name)].secret))
            assert answer.status_code == 403, (failures, answer.text)
            failures += 1
    assert failures == ADDRESS_LIMIT
    # A fresh username, and a right code of a real user, are both refused now.
    assert_throttled(login(server.url, "fresh-" + uuid.uuid4().hex[:6], "123456"), at_most=3)
    newcomer = register(server.url)  # registration is not a sign-in: it still works
    wait = assert_throttled(newcomer.login(), at_most=3)
    # Lockout over: the right code works again.
    time.sleep(wait + 0.2)
    answer = login(server.url, newcomer.username, newcomer.totp.at(newcomer.last_step * 30))
    assert answer.status_code == 200, answer.text


def test_forwarded_for_is_ignored_without_trusted_proxies(make_server):
    server = make_server()
    for i in range(ADDRESS_LIMIT):
        headers = {"X-Forwarded-For": f"10.0.{i}.{i}"}
        answer = login(server.url, f"ghost-{i % 10}", "000000", headers)
        assert answer.status_code == 403, (i, answer.text)
    # Every attempt came from 127.0.0.1, whatever the header said.
    assert_throttled(login(server.url, "fresh", "123456", {"X-Forwarded-For": "192.168.7.7"}), at_most=3)
    assert_throttled(login(server.url, "fresh", "123456"), at_most=3)


def test_forwarded_for_counts_per_client_behind_a_trusted_proxy(make_server):
    server = make_server(TRUSTED_PROXIES="127.0.0.1")
    one = {"X-Forwarded-For": "203.0.113.7"}
    for i in range(ADDRESS_LIMIT):
        assert login(server.url, f"ghost-{i % 10}", "000000", one).status_code == 403, i
    assert_throttled(login(server.url, "fresh", "123456", one), at_most=3)
    # The client address is the nearest untrusted one: a chain ending at our proxy is that client too.
    assert_throttled(login(server.url, "fresh", "123456", {"X-Forwarded-For": "203.0.113.7, 127.0.0.1"}), at_most=3)
    # A spoofed left-most entry added by the client does not escape either.
    assert_throttled(login(server.url, "fresh", "123456", {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}), at_most=3)
    # Another client behind the same proxy, and the proxy itself, are not locked out.
    other = {"X-Forwarded-For": "203.0.113.8"}
    answer = login(server.url, "fresh", "123456", other)
    assert (answer.status_code, answer.json()["detail"]) == (403, "Invalid password")
    account = register(server.url)
    assert account.login().status_code == 200
    # A header that is not an address falls back to the peer (not a way around the limit).
    answer = login(server.url, "fresh2", "123456", {"X-Forwarded-For": "not-an-ip"})
    assert answer.status_code in (403, 429)
