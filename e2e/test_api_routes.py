"""Both spellings of a path (with and without a trailing slash) give the same bodies on the real
binary, and CORS follows CORS_ORIGINS. That every route answers with either spelling is
ErrorTests.everyRouteWorksWithAndWithoutATrailingSlash (in process)."""

import requests

from conftest import register


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
