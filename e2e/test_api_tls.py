"""HTTPS from the binary itself: a pair made by `stracker tls self-signed`, served on PORT with
HTTP/2 where the client offers it, HSTS, a plain port that only redirects, a renewed pair served
without a restart (files changed, or SIGHUP), a broken renewal refused, and the start-up errors
of a pair that cannot serve."""

import hashlib
import os
import pathlib
import signal
import socket
import ssl
import subprocess
import time

import pytest
import requests

from conftest import Server, raw_http, register
from stracker_harness import binary_path, free_port


def self_signed(data_dir, *hosts, days=None):
    """Runs `stracker tls self-signed` for DATA_DIR=data_dir; returns DATA_DIR/tls's four paths."""
    command = [str(binary_path()), "tls", "self-signed"] + [arg for host in hosts for arg in ("--host", host)]
    if days:
        command += ["--days", str(days)]
    done = subprocess.run(command, env={**os.environ, "DATA_DIR": str(data_dir)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    folder = data_dir / "tls"
    return {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server-key.pem", "output": done.stdout}


@pytest.fixture
def tls_server(tmp_path):
    pair = self_signed(tmp_path, "127.0.0.1", "localhost")
    srv = Server(str(tmp_path), ca_file=pair["ca"], TLS_CERT_FILE=str(pair["cert"]), TLS_KEY_FILE=str(pair["key"])).start()
    srv.pair = pair
    yield srv
    srv.stop()


def handshake(port, ca, alpn=("h2", "http/1.1"), host="127.0.0.1"):
    """One TLS handshake verified against `ca`: (negotiated protocol, SHA-256 of the served
    certificate, its subject alternative names)."""
    context = ssl.create_default_context(cafile=str(ca))
    context.set_alpn_protocols(list(alpn))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            names = [value for _, value in tls.getpeercert().get("subjectAltName", ())]
            return tls.selected_alpn_protocol(), hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest(), names


def wait_for(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


def test_self_signed_writes_keys_only_the_owner_reads_and_says_how_to_use_them(tmp_path):
    pair = self_signed(tmp_path, "192.168.1.20", "budget.lan")
    assert os.stat(pair["key"]).st_mode & 0o777 == 0o600
    assert os.stat(tmp_path / "tls" / "ca-key.pem").st_mode & 0o777 == 0o600
    assert f"TLS_CERT_FILE={pair['cert']}" in pair["output"] and f"TLS_KEY_FILE={pair['key']}" in pair["output"]
    assert "CA SHA-256 fingerprint: " in pair["output"] and "Made a new CA" in pair["output"]
    # An independent check of the chain: openssl verifies the server certificate against the CA.
    verified = subprocess.run(["openssl", "verify", "-CAfile", str(pair["ca"]), str(pair["cert"])], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    again = self_signed(tmp_path, "192.168.1.20")
    assert "Kept the CA" in again["output"]


def test_curl_with_the_ca_gets_pong_over_http2_and_http1(tls_server):
    for flag in ("--http2", "--http1.1"):
        done = subprocess.run(
            ["curl", "-sS", flag, "--cacert", str(tls_server.pair["ca"]), "-D", "-", tls_server.url + "/ping"],
            capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        head, _, body = done.stdout.partition("\n\n")
        assert body == '"pong"'
        assert head.startswith("HTTP/2 200" if flag == "--http2" else "HTTP/1.1 200"), head
        assert "strict-transport-security: max-age=31536000" in head.lower()
    # Without the CA the certificate is refused, as a browser would refuse it.
    refused = subprocess.run(["curl", "-sS", tls_server.url + "/ping"], capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0


def test_alpn_offers_http2_and_falls_back_to_http1(tls_server):
    assert handshake(tls_server.port, tls_server.pair["ca"])[0] == "h2"
    assert handshake(tls_server.port, tls_server.pair["ca"], alpn=("http/1.1",))[0] == "http/1.1"
    names = handshake(tls_server.port, tls_server.pair["ca"], host="localhost")[2]
    assert names == ["127.0.0.1", "localhost"]


def test_the_api_works_over_https(tls_server, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_server.pair["ca"]))
    account = register(tls_server.url)
    food = next(f for f in account.get("/funnel/").json() if f["name"] == "Food")
    answer = account.post("/spending/", json={"amount": 3.5, "funnel_id": food["id"]})
    assert answer.status_code == 201, answer.text
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert [s["amount"] for s in account.get("/spending/", params={"timestamp_from": 0}).json()] == [3.5]
    # Docker's HEALTHCHECK speaks TLS to it too.
    check = subprocess.run([str(binary_path()), "healthcheck"], env=tls_server.env, cwd=tls_server.cwd, capture_output=True, timeout=30)
    assert check.returncode == 0, check.stderr


def test_a_renewed_certificate_is_served_without_a_restart(tls_server):
    ca, port = tls_server.pair["ca"], tls_server.port
    _, first, _ = handshake(port, ca)
    pid = tls_server.pid

    # Renewed in place, as certbot or a cron job would: picked up by the file watch (every 10 s).
    self_signed(pathlib.Path(tls_server.data_dir), "127.0.0.1", "localhost", "renewed.lan")
    wait_for(lambda: "renewed.lan" in handshake(port, ca)[2], 25, "the renewed certificate served")
    _, second, _ = handshake(port, ca)
    assert second != first

    # Renewed again and announced with SIGHUP: served at once, and the process lives on.
    self_signed(pathlib.Path(tls_server.data_dir), "127.0.0.1", "localhost", "hangup.lan")
    os.kill(pid, signal.SIGHUP)
    wait_for(lambda: "hangup.lan" in handshake(port, ca)[2], 3, "the certificate reloaded on SIGHUP")
    assert tls_server.process.poll() is None and tls_server.pid == pid
    assert "trigger=SIGHUP" in tls_server.log_path.read_text()
    assert requests.get(tls_server.url + "/ping", verify=str(ca), timeout=10).json() == "pong"


def test_a_broken_renewal_keeps_the_previous_certificate(tls_server):
    ca, port, cert = tls_server.pair["ca"], tls_server.port, tls_server.pair["cert"]
    _, served, _ = handshake(port, ca)
    good = cert.read_bytes()
    cert.write_text("-----BEGIN CERTIFICATE-----\nhalf a file")
    os.kill(tls_server.pid, signal.SIGHUP)
    wait_for(lambda: "TLS certificate not reloaded" in tls_server.log_path.read_text(), 5, "the refusal logged")
    assert handshake(port, ca)[1] == served
    assert requests.get(tls_server.url + "/ping", verify=str(ca), timeout=10).status_code == 200
    # The file watch reports the same broken file once, not every poll.
    time.sleep(11)
    assert tls_server.log_path.read_text().count("TLS certificate not reloaded") == 1
    cert.write_bytes(good)
    os.kill(tls_server.pid, signal.SIGHUP)
    wait_for(lambda: "TLS certificate reloaded" in tls_server.log_path.read_text(), 5, "the good file reloaded")
    assert handshake(port, ca)[1] == served


def test_a_connection_that_never_shakes_hands_is_closed(tmp_path):
    pair = self_signed(tmp_path, "127.0.0.1")
    srv = Server(str(tmp_path), ca_file=pair["ca"], TLS_CERT_FILE=str(pair["cert"]), TLS_KEY_FILE=str(pair["key"]), IDLE_TIMEOUT="2").start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as silent:
            started = time.monotonic()
            assert silent.recv(1) == b""  # closed by the server
            assert time.monotonic() - started < 8
        assert handshake(srv.port, pair["ca"])[0] == "h2"
    finally:
        srv.stop()


def test_the_plain_port_redirects_to_https(tmp_path):
    pair = self_signed(tmp_path, "127.0.0.1")
    plain = free_port()
    srv = Server(str(tmp_path), ca_file=pair["ca"], TLS_CERT_FILE=str(pair["cert"]), TLS_KEY_FILE=str(pair["key"]),
                 HTTP_REDIRECT_PORT=str(plain)).start()
    try:
        answer = requests.get(f"http://127.0.0.1:{plain}/spending/?timestamp_from=1", allow_redirects=False, timeout=10)
        assert answer.status_code == 308
        assert answer.headers["Location"] == f"https://127.0.0.1:{srv.port}/spending/?timestamp_from=1"
        assert "Strict-Transport-Security" not in answer.headers  # never over plain HTTP (RFC 6797)
        followed = requests.get(f"http://127.0.0.1:{plain}/ping", verify=str(pair["ca"]), timeout=10)
        assert (followed.url, followed.json()) == (f"{srv.url}/ping", "pong")

        status, headers, _ = raw_http(f"http://127.0.0.1:{plain}", b"POST /user/ HTTP/1.1\r\nHost: budget.lan:80\r\nContent-Length: 0\r\n\r\n")
        assert (status, headers["location"]) == (308, f"https://budget.lan:{srv.port}/user/")
        status, _, body = raw_http(f"http://127.0.0.1:{plain}", b"GET / HTTP/1.1\r\nHost: evil.example/x\r\n\r\n")
        assert status == 400 and b"Host" in body
    finally:
        srv.stop()


def start_failure(tmp_path, **settings):
    """Starts the binary with these settings; returns (exit status, what it printed)."""
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "HOST": "127.0.0.1", "PORT": str(free_port()), **settings}
    done = subprocess.run([str(binary_path())], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("case", ["missing", "directory", "not pem", "other key", "key only", "redirect without tls"])
def test_a_pair_that_cannot_serve_stops_start_up_with_a_clear_message(tmp_path, case):
    pair = self_signed(tmp_path / "a", "127.0.0.1")
    other = self_signed(tmp_path / "b", "127.0.0.1")
    (tmp_path / "text.pem").write_text("not a certificate\n")
    settings, expected = {
        "missing": ({"TLS_CERT_FILE": str(tmp_path / "nope.pem"), "TLS_KEY_FILE": str(pair["key"])}, "nope.pem does not exist (TLS_CERT_FILE)"),
        "directory": ({"TLS_CERT_FILE": str(tmp_path), "TLS_KEY_FILE": str(pair["key"])}, "cannot be read by this user"),
        "not pem": ({"TLS_CERT_FILE": str(tmp_path / "text.pem"), "TLS_KEY_FILE": str(pair["key"])}, "holds no PEM certificate"),
        "other key": ({"TLS_CERT_FILE": str(pair["cert"]), "TLS_KEY_FILE": str(other["key"])}, "is not the key of the certificate"),
        "key only": ({"TLS_KEY_FILE": str(pair["key"])}, "TLS_CERT_FILE and TLS_KEY_FILE are set together"),
        "redirect without tls": ({"HTTP_REDIRECT_PORT": "8081"}, "HTTP_REDIRECT_PORT"),
    }[case]
    status, output = start_failure(tmp_path, **settings)
    assert status != 0
    assert expected in output, output
    assert "Fatal error" not in output and "Stack dump" not in output
