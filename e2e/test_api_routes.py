"""Every route of the API, spelled with and without a trailing slash, answers the same."""

import time
import uuid

import pyotp
import pytest
import requests

from conftest import Account, register


def check(answer, status):
    assert answer.status_code == status, (answer.request.method, answer.request.url, answer.status_code, answer.text[:300])
    return answer


@pytest.mark.parametrize("s", ["", "/"], ids=["bare", "slash"])
def test_every_route(server, s):
    url = server.url

    # Accounts.
    name = "route-" + uuid.uuid4().hex[:6]
    secret = check(requests.post(f"{url}/user/generate-otp-secret{s}", json={"username": name}, timeout=10), 200).json()["secret"]
    pair = check(requests.post(f"{url}/user{s}", json={"username": name, "otp_secret": secret,
                                                      "otp_example": pyotp.TOTP(secret).now()}, timeout=10), 200).json()
    me = Account(url, name, secret, pair)
    registration_refresh = me.refresh
    answer = check(requests.post(f"{url}/user/login{s}", json={"username": name, "otp": me.fresh_code()}, timeout=10), 200)
    me.access, me.refresh = answer.json()["access"], answer.json()["refresh"]
    answer = check(requests.post(f"{url}/user/refresh{s}", json={"refresh": me.refresh}, timeout=10), 200)
    me.access, me.refresh = answer.json()["access"], answer.json()["refresh"]
    assert check(me.get(f"/user/decode{s}"), 200).json()["username"] == name
    devices = check(me.get(f"/user/devices{s}"), 200).json()
    assert len(devices) == 2
    assert check(requests.get(f"{url}/ping{s}", timeout=10), 200).json() == "pong"
    assert check(requests.get(f"{url}/healthz{s}", timeout=10), 200).json() == {"status": "ok"}

    # Funnels.
    funnels = check(me.get(f"/funnel{s}"), 200).json()
    assert len(funnels) == 2
    funnel_id = check(me.post(f"/funnel{s}", {"name": "Slash", "limit": 5, "color": "red", "emoji": "➗"}), 201).json()
    assert check(me.get(f"/funnel/{funnel_id}{s}"), 200).json()["name"] == "Slash"
    check(me.put(f"/funnel/{funnel_id}{s}", {"name": "Put"}), 204)
    check(me.patch(f"/funnel/{funnel_id}{s}", {"limit": 6}), 204)
    assert check(me.get(f"/funnel/{funnel_id}{s}"), 200).json()["limit"] == 6
    order = [funnel_id] + [f["id"] for f in funnels]
    check(me.put(f"/funnel/order{s}", {"ids": order}), 204)
    assert [f["id"] for f in check(me.get(f"/funnel{s}"), 200).json()] == order

    # Spendings.
    spending_id = check(me.post(f"/spending{s}", {"amount": 1.5, "funnel_id": funnel_id}), 201).json()
    idempotent = str(uuid.uuid4())
    body = {"id": idempotent, "amount": 2, "funnel_id": funnel_id, "timestamp": int(time.time() * 1000)}
    check(me.post(f"/spending{s}", body), 201)
    check(me.post(f"/spending{s}", body), 201)
    assert len(check(me.get(f"/spending{s}"), 200).json()) == 2
    assert len(check(me.get(f"/spending{s}", params={"limit": 1}), 200).json()) == 1
    assert len(check(me.get(f"/spending{s}", params={"funnel_id": funnel_id}), 200).json()) == 2
    assert check(me.get(f"/spending/{spending_id}{s}"), 200).json()["amount"] == 1.5
    check(me.put(f"/spending/{spending_id}{s}", {"amount": 3}), 204)
    check(me.patch(f"/spending/{spending_id}{s}", {"note": "n"}), 204)
    check(me.delete(f"/spending/{spending_id}{s}"), 204)
    check(me.get(f"/spending/{spending_id}{s}"), 404)
    assert check(me.get(f"/overview{s}"), 200).json()["recent"][0]["id"] == idempotent
    assert check(me.get(f"/history{s}", params={"periods": 2}), 200).json()["periods"][-1]["funnels"]
    check(me.delete(f"/funnel/{funnel_id}{s}"), 204)
    check(me.get(f"/funnel/{funnel_id}{s}"), 404)

    # Household.
    assert check(me.get(f"/household{s}"), 200).json()["role"] == "owner"
    assert check(me.patch(f"/household{s}", {"name": "Slashers"}), 200).json()["name"] == "Slashers"
    code = check(me.post(f"/household/invite{s}"), 201).json()["code"]
    removed = register(url, invite=code)
    check(me.delete(f"/household/members/{removed.username}{s}"), 204)
    leaver = register(url, invite=check(me.post(f"/household/invite{s}"), 201).json()["code"])
    check(leaver.post(f"/household/leave{s}"), 204)
    assert [m["username"] for m in check(me.get(f"/household{s}"), 200).json()["members"]] == [name]

    # Devices: sign out the registration's session, log out this one, then everywhere for another user.
    other_device = next(d["id"] for d in devices if not d["current"])
    check(me.delete(f"/user/devices/{other_device}{s}"), 204)
    check(requests.post(f"{url}/user/refresh{s}", json={"refresh": registration_refresh}, timeout=10), 403)
    check(me.post(f"/user/logout{s}"), 204)
    check(me.get(f"/user/decode{s}"), 403)
    check(removed.delete(f"/user/devices{s}"), 204)
    check(removed.get(f"/user/decode{s}"), 403)

    # Wrong methods and unknown routes keep their answers with either spelling.
    assert check(requests.delete(f"{url}/funnel{s}", headers=leaver.headers, timeout=10), 405).json()["detail"] == "Method Not Allowed"
    assert check(requests.get(f"{url}/user/login{s}", timeout=10), 405).json()["detail"] == "Method Not Allowed"
    assert check(requests.get(f"{url}/nothing-here{s}", timeout=10), 404).json()["detail"] == "Not Found"
    # Auth answers too.
    assert check(requests.get(f"{url}/funnel{s}", timeout=10), 403).json()["detail"] == "Not authenticated"


def test_both_spellings_answer_identically(server):
    account = register(server.url)
    account.post("/spending/", {"amount": 1, "funnel_id": account.get("/funnel/").json()[0]["id"]})
    for path in ("/funnel", "/spending", "/household", "/user/decode", "/user/devices", "/ping", "/healthz",
                 f"/funnel/{account.get('/funnel/').json()[0]['id']}", f"/spending/{account.get('/spending/').json()[0]['id']}"):
        bare, slash = account.get(path), account.get(path + "/")
        assert bare.status_code == slash.status_code == 200, path
        assert bare.json() == slash.json(), path
    # With a query string as well.
    assert account.get("/spending?limit=1").json() == account.get("/spending/?limit=1").json()


def test_no_cors_by_default(server):
    account = register(server.url)
    answer = requests.get(server.url + "/funnel/", headers={**account.headers, "Origin": "https://evil.example"}, timeout=10)
    assert answer.status_code == 200
    assert not any(k.lower().startswith("access-control") for k in answer.headers)
    answer = requests.options(server.url + "/funnel/", headers={"Origin": "https://evil.example",
                                                                "Access-Control-Request-Method": "POST"}, timeout=10)
    assert 400 <= answer.status_code < 500 and "Access-Control-Allow-Origin" not in answer.headers


def test_cors_only_for_configured_origins(make_server):
    server = make_server(CORS_ORIGINS="https://app.example")
    account = register(server.url)
    answer = requests.get(server.url + "/funnel/", headers={**account.headers, "Origin": "https://app.example"}, timeout=10)
    assert answer.headers.get("Access-Control-Allow-Origin") == "https://app.example"
    preflight = requests.options(server.url + "/spending/", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"}, timeout=10)
    assert preflight.status_code in (200, 204)
    assert preflight.headers.get("Access-Control-Allow-Origin") == "https://app.example"
    assert "authorization" in preflight.headers.get("Access-Control-Allow-Headers", "").lower()
    for origin in ("https://evil.example", "https://app.example.evil.example", "null"):
        answer = requests.get(server.url + "/funnel/", headers={**account.headers, "Origin": origin}, timeout=10)
        assert answer.headers.get("Access-Control-Allow-Origin") in (None, ""), origin
    assert all(v != "*" for k, v in answer.headers.items() if k.lower() == "access-control-allow-origin")
