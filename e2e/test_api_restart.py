"""The process lifecycle: restarts keep sessions and data; SIGTERM drains and exits 0."""

import pathlib
import signal
import stat
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import exact_json, register


def snapshot(account):
    funnels = exact_json(account.get("/funnel/"))
    spendings = exact_json(account.get("/spending/", params={"timestamp_from": -1, "timestamp_to": 253402300800000}))
    return funnels, sorted(spendings, key=lambda s: s["id"])


def test_restart_keeps_sessions_and_data(server):
    alice = register(server.url)
    logged_in = alice.login()
    assert logged_in.status_code == 200
    funnel = alice.post("/funnel/", {"name": "Trips", "limit": 123.45, "color": "teal", "emoji": "🚆"}).json()
    ids = [
        alice.post("/spending/", {"amount": amount, "funnel_id": funnel, "timestamp": int(time.time() * 1000) - i}).json()
        for i, amount in enumerate((0.1, 0.2, 99999999999.99, -5))
    ]
    # A refresh token spent before the restart must stay spent afterwards.
    spent = alice.refresh
    rotated = requests.post(server.url + "/user/refresh", json={"refresh": spent}, timeout=10).json()
    alice.access, alice.refresh = rotated["access"], rotated["refresh"]
    before = snapshot(alice)
    assert len(before[1]) == 4 and {s["id"] for s in before[1]} == set(ids)

    keys = pathlib.Path(server.data_dir) / "keys.json"
    assert keys.exists()
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    key_bytes = keys.read_bytes()

    server.restart()

    assert keys.read_bytes() == key_bytes  # not regenerated
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert alice.get("/user/decode").status_code == 200  # the old access token
    assert snapshot(alice) == before
    # The old refresh token works once...
    answer = requests.post(server.url + "/user/refresh", json={"refresh": alice.refresh}, timeout=10)
    assert answer.status_code == 200, answer.text
    # ...and the one spent before the restart is still recognised as reuse.
    answer = requests.post(server.url + "/user/refresh", json={"refresh": spent}, timeout=10)
    assert (answer.status_code, answer.json()["detail"]) == (403, "Refresh token is blacklisted")
    # The TOTP step used before the restart is still used.
    code = alice.totp.at(alice.last_step * 30)
    answer = requests.post(server.url + "/user/login", json={"username": alice.username, "otp": code}, timeout=10)
    assert (answer.status_code, answer.json()["detail"]) == (403, "Invalid password")


def test_revocations_survive_a_restart(server):
    account = register(server.url)
    first = account.access
    assert account.login().status_code == 200
    assert account.post("/user/logout").status_code == 204
    dead = account.access
    server.restart()
    answer = requests.get(server.url + "/funnel/", headers={"Authorization": f"Bearer {dead}"}, timeout=10)
    assert (answer.status_code, answer.json()["detail"]) == (403, "Token is blacklisted")
    answer = requests.get(server.url + "/funnel/", headers={"Authorization": f"Bearer {first}"}, timeout=10)
    assert answer.status_code == 200


def test_sigterm_drains_an_in_flight_request_and_exits_0(server):
    account = register(server.url)
    funnel = account.get("/funnel/").json()[0]["id"]
    spending_id = str(uuid.uuid4())
    body = f'{{"id": "{spending_id}", "amount": 7.5, "funnel_id": "{funnel}"}}'.encode()
    head = (
        f"POST /spending/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {account.access}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    import socket

    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(head + body[:10])  # the request is now in flight: headers read, body incomplete
    time.sleep(0.3)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    assert server.process.poll() is None, "exited with a request in flight"
    sock.sendall(body[10:])
    import http.client

    answer = http.client.HTTPResponse(sock)
    answer.begin()
    assert answer.status == 201, answer.read()
    answer.read()
    sock.close()
    started = time.time()
    server.process.wait(timeout=10)
    assert server.process.returncode == 0
    assert time.time() - started < 5

    server.start()
    spendings = account.get("/spending/").json()
    assert [s["id"] for s in spendings] == [spending_id]


def test_sigterm_under_load_exits_0_promptly(server):
    account = register(server.url)
    funnel = account.get("/funnel/").json()[0]["id"]
    for i in range(20):
        account.post("/spending/", {"amount": i + 1, "funnel_id": funnel})
    stop = threading.Event()
    outcomes = []

    def hammer():
        session = requests.Session()
        while not stop.is_set():
            try:
                outcomes.append(session.get(server.url + "/overview", headers=account.headers, timeout=10).status_code)
            except requests.RequestException as error:
                outcomes.append(type(error).__name__)

    with ThreadPoolExecutor(8) as pool:
        for _ in range(8):
            pool.submit(hammer)
        time.sleep(1.0)
        started = time.time()
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        finally:
            elapsed = time.time() - started
            stop.set()
    assert server.process.returncode == 0
    assert elapsed < 5, elapsed
    statuses = [o for o in outcomes if isinstance(o, int)]
    assert statuses.count(200) > 10
    assert set(statuses) == {200}, set(statuses)

    # Nothing was lost or broken by the interruption.
    server.start()
    assert len(account.get("/spending/").json()) == 20
    assert requests.get(server.url + "/healthz", timeout=10).json() == {"status": "ok"}


def test_sigint_also_exits_cleanly(server):
    register(server.url)
    server.process.send_signal(signal.SIGINT)
    server.process.wait(timeout=10)
    assert server.process.returncode == 0
    server.start()
    assert requests.get(server.url + "/ping", timeout=10).json() == "pong"


def test_keys_from_environment_need_no_key_file(make_server):
    server = make_server(JWT_SECRET="a" * 40, SECRET_KEY="b" * 40)
    account = register(server.url)
    assert not (pathlib.Path(server.data_dir) / "keys.json").exists()
    server.restart()
    assert account.get("/user/decode").status_code == 200
    # Changing the signing secret invalidates every token, with the contract's answer.
    server.stop()
    server.env["JWT_SECRET"] = "c" * 40
    server.start()
    answer = account.get("/user/decode")
    assert (answer.status_code, answer.json()["detail"]) == (400, "Invalid token")
    # The OTP secrets are still readable (SECRET_KEY unchanged): sign-in works.
    assert account.login().status_code == 200
