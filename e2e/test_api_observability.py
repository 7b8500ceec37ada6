"""What the server tells its operator (issue 10, item 16): Prometheus metrics at /metrics, one
log line per request naming the request id that the answer carries as X-Request-ID, and no
token, code or secret in any log line (the whole run's logs are searched at its end: see
log_secrets.py; here, that the search finds a planted one)."""

import re
import time

import requests

import log_secrets
from conftest import register, wrong_code


def metric(text: str, name: str, **labels) -> float:
    """The value of one sample of the exposition (0 when absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        if head.split("{")[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', head))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return 0.0


def test_metrics_count_requests_sign_ins_reuse_and_writes(server):
    account = register(server.url)
    assert account.login().status_code == 200
    assert requests.post(server.url + "/user/login", json={"username": account.username, "otp": wrong_code(account.secret)}, timeout=5).status_code == 403
    funnel = account.get("/funnel/").json()[0]["id"]
    assert account.post("/spending/", {"amount": 3, "funnel_id": funnel}).status_code == 201
    spent = account.refresh
    assert requests.post(server.url + "/user/refresh", json={"refresh": spent}, timeout=5).status_code == 200
    assert requests.post(server.url + "/user/refresh", json={"refresh": spent}, timeout=5).status_code == 403  # reuse: revoked

    answer = requests.get(server.url + "/metrics", timeout=5)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain")
    text = answer.text
    assert metric(text, "logins_total", outcome="succeeded") == 1
    assert metric(text, "logins_total", outcome="failed") == 1
    assert metric(text, "refresh_token_reuse_total") == 1
    assert metric(text, "http_requests_total", route="/spending", method="POST", status="201") == 1
    assert metric(text, "http_requests_total", route="/user/refresh", method="POST", status="403") == 1
    assert metric(text, "http_request_duration_seconds_count", route="/funnel", method="GET") >= 1
    assert metric(text, "database_write_duration_seconds_count") >= 3  # registration, login, the spending at least
    # Paths of unknown routes share one label: a scan cannot grow the exposition without bound.
    for index in range(5):
        requests.get(server.url + f"/scan-{index}", timeout=5)
    text = requests.get(server.url + "/metrics", timeout=5).text
    assert "scan-" not in text


def test_each_answer_names_its_request_and_its_log_line(server):
    account = register(server.url)
    answers = [account.get("/overview"), requests.get(server.url + "/nowhere", timeout=5), account.post("/spending/", {"amount": "x"})]
    ids = [answer.headers.get("X-Request-ID") for answer in answers]
    assert all(ids) and len(set(ids)) == 3
    time.sleep(0.3)
    log = server.log_path.read_text()
    for request_id, answer in zip(ids, answers):
        lines = [line for line in log.splitlines() if request_id in line and "request" in line]
        assert len(lines) == 1, (request_id, lines)
        assert f"status={answer.status_code}" in lines[0] or f"status: {answer.status_code}" in lines[0] or str(answer.status_code) in lines[0]


def test_the_log_search_finds_a_planted_secret():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2J5dGVz"
    secret = "JBSWY3DPEHPK3PXPJBSWY3DP"
    code = "493817"
    watched = {token, secret, code, "ABCD-EFGH-JKLM", "K7MPQ2RSTV"}
    clean = "2026-12-02T17:00:00 info stracker: request method=POST path=/user/login status=403 ms=0.493 port=49381 id=1758362400000"
    assert log_secrets.leaks(clean, watched) == set()
    for planted in watched:
        assert log_secrets.leaks(clean + f" detail={planted}\n", watched) == {planted}
    assert log_secrets.leaks(clean + f" header=Bearer {token}", watched) == {token}
    # Junk the robustness tests put in the same fields is not watched: it may be a path or a name.
    log_secrets.remember("x" * 300)
    log_secrets.remember("9" * 40)
    assert "x" * 300 not in log_secrets.seen() and "9" * 40 not in log_secrets.seen()
