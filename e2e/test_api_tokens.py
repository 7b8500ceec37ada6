"""Device sessions over real HTTP: device names from the request, signing in again in the same
wall-clock second, logout, SESSION_POLICY from the environment. Signing one device or every device
out is tested in process (Tests/AppTests/DeviceTests.swift)."""

import time

import requests

from conftest import register


def bearer(url, method, path, token, **kw):
    return requests.request(method, url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10, **kw)


def refresh(url, token):
    return requests.post(url + "/user/refresh", json={"refresh": token}, timeout=10)


def two_devices(url, name="phone"):
    """An account signed in twice: (account on the login device, registration pair)."""
    account = register(url)
    first = (account.access, account.refresh)
    answer = account.login(device_name=name)
    assert answer.status_code == 200, answer.text
    return account, first


def test_device_list_shows_each_session_and_marks_the_current_one(server):
    account, (first_access, _) = two_devices(server.url, name="  Kitchen tablet  ")
    answer = account.get("/user/devices")
    assert answer.status_code == 200, answer.text
    devices = answer.json()
    assert len(devices) == 2
    assert {"id", "name", "created_at", "last_seen_at", "current"} <= set(devices[0])
    current = [d for d in devices if d["current"]]
    assert len(current) == 1 and current[0]["name"] == "Kitchen tablet"
    # Seen from the other session, the other one is current.
    other = bearer(server.url, "GET", "/user/devices", first_access).json()
    assert [d["id"] for d in other if d["current"]] == [d["id"] for d in devices if not d["current"]]
    # A very long device name is kept short; without one, the User-Agent names the device.
    secret = requests.post(server.url + "/user/generate-otp-secret", json={"username": "longname"}, timeout=10).json()["secret"]
    import pyotp

    pair = requests.post(server.url + "/user/", json={"username": "longname", "otp_secret": secret,
                                                      "otp_example": pyotp.TOTP(secret).now(), "device_name": "d" * 500},
                         timeout=10).json()
    listed = bearer(server.url, "GET", "/user/devices", pair["access"]).json()
    assert [d["name"] for d in listed] == ["d" * 64]
    listed = bearer(server.url, "GET", "/user/devices", first_access).json()
    assert all(d["name"] for d in listed)


def test_login_right_after_sign_out_everywhere_works(server):
    """Signing out everywhere and signing straight back in (same second) must give working tokens."""
    account = register(server.url)
    code = account.fresh_code()
    # Do both within one wall-clock second, as a script or a quick user would.
    time.sleep(1 - time.time() % 1 + 0.02)
    assert account.delete("/user/devices").status_code == 204
    answer = requests.post(server.url + "/user/login", json={"username": account.username, "otp": code}, timeout=10)
    assert answer.status_code == 200, answer.text
    pair = answer.json()
    assert bearer(server.url, "GET", "/funnel/", pair["access"]).status_code == 200
    assert refresh(server.url, pair["refresh"]).status_code == 200


def test_logout_signs_out_only_this_device(server):
    account, (first_access, first_refresh) = two_devices(server.url)
    answer = account.post("/user/logout")
    assert answer.status_code == 204, answer.text
    denied = account.get("/funnel/")
    assert (denied.status_code, denied.json()["detail"]) == (403, "Token is blacklisted")
    denied = refresh(server.url, account.refresh)
    assert (denied.status_code, denied.json()["detail"]) == (403, "Refresh token is blacklisted")
    # The other device keeps working.
    assert bearer(server.url, "GET", "/funnel/", first_access).status_code == 200
    assert refresh(server.url, first_refresh).status_code == 200
    # Logging out twice with the dead token: 403 again, nothing else.
    assert account.post("/user/logout").status_code == 403


def test_session_policy_multi_keeps_other_devices(server):
    account, (first_access, first_refresh) = two_devices(server.url)
    assert bearer(server.url, "GET", "/funnel/", first_access).status_code == 200
    assert account.get("/funnel/").status_code == 200
    assert len(account.get("/user/devices").json()) == 2


def test_session_policy_single_signs_out_other_devices(make_server):
    server = make_server(SESSION_POLICY="single")
    account, (first_access, first_refresh) = two_devices(server.url)
    denied = bearer(server.url, "GET", "/funnel/", first_access)
    assert (denied.status_code, denied.json()["detail"]) == (403, "Token is blacklisted")
    denied = refresh(server.url, first_refresh)
    assert (denied.status_code, denied.json()["detail"]) == (403, "Refresh token is blacklisted")
    assert account.get("/funnel/").status_code == 200
    devices = account.get("/user/devices").json()
    assert len(devices) == 1 and devices[0]["current"]
    # Refreshing the surviving session does not count as a new login.
    answer = refresh(server.url, account.refresh)
    assert answer.status_code == 200
    assert bearer(server.url, "GET", "/funnel/", answer.json()["access"]).status_code == 200
    # Another user's sessions are not touched by this user's login.
    other = register(server.url)
    assert other.get("/funnel/").status_code == 200
    assert bearer(server.url, "GET", "/funnel/", answer.json()["access"]).status_code == 200
