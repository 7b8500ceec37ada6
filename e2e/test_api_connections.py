"""Connections and HTTP edge cases (issue 10, items 1, 7 and the slow-client and path parts of 14),
over raw sockets: what a black-box attack on the release binary found.

- Idle and stalled connections (nothing sent, half the headers, a declared body that never comes,
  an unfinished chunked body, idle keep-alive, one header byte a second) are closed after a
  timeout instead of holding a descriptor for ever, and never keep a normal client waiting.
- 1 100 idle connections from one client (more than the 1 024 descriptors of a default soft
  limit) do not starve the server: it raises its soft limit to the hard one, caps connections,
  and keeps answering /ping.
- Headers declaring a 10 MB body are answered 413 at once; an invalid chunk size and two Host
  headers are 400, never 500; HEAD answers like GET without a body; a NUL, encoded dots or
  backslashes in a static path never serve a file from outside web/ or with the wrong type, and a
  redirect never echoes them; answers carrying tokens or a TOTP secret are never cached.

The servers here run with short timeouts so that the tests wait seconds, not minutes: IDLE_TIMEOUT
(a connection that has sent nothing, part of its headers, or nothing since its last answer) and
REQUEST_TIMEOUT (the rest of a request once its head arrived), and MAX_CONNECTIONS=200. A server
may answer 408 before closing a stalled request; it need not.
"""

import errno
import os
import pathlib
import resource
import select
import socket
import threading
import time
import uuid
from contextlib import contextmanager

import pyotp
import pytest
import requests

from conftest import REPO, Account, Server, raw_http, register

IDLE_TIMEOUT = 2
REQUEST_TIMEOUT = 2
MAX_CONNECTIONS = 200
SLACK = 3  # seconds a close may come after its timeout on a loaded 2-core machine
SETTINGS = {"IDLE_TIMEOUT": str(IDLE_TIMEOUT), "REQUEST_TIMEOUT": str(REQUEST_TIMEOUT),
            "MAX_CONNECTIONS": str(MAX_CONNECTIONS)}
INDEX_HTML = (REPO / "web" / "index.html").read_bytes()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module, with the short timeouts (the 1 100-connection test starts its own)."""
    srv = Server(str(tmp_path_factory.mktemp("stracker-data")), **SETTINGS).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def member(server):
    return register(server.url)


class Connection:
    """One raw TCP connection to the server: send bytes, read answers, see whether the server closed it."""

    def __init__(self, server, timeout: float = 5):
        self.timeout = timeout
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        self.buffer = b""  # received, not yet consumed by answer()

    def send(self, data: bytes):
        self.sock.sendall(data)

    def _fill(self, deadline):
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.buffer += chunk

    def answer(self, timeout: float = 5, head: bool = False):
        """The next answer: (status, {lower-case name: value}, body). Raises socket.timeout when
        none arrives within `timeout` seconds. `head`: the answer to a HEAD (no body is read)."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buffer:
            self._fill(deadline)
        head_bytes, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head_bytes.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if head:
            return status, headers, b""
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill(deadline)
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed(self) -> bool:
        """Without waiting: has the server closed the connection (EOF or reset)? What it sent
        before closing stays in `buffer`."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buffer += chunk
        except BlockingIOError:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        finally:
            self.sock.settimeout(self.timeout)

    def closed_within(self, seconds: float):
        """Seconds until the server closed the connection, or None if it was still open after `seconds`."""
        started = time.monotonic()
        deadline = started + seconds
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            except (ConnectionResetError, BrokenPipeError):
                return time.monotonic() - started
            if not chunk:
                return time.monotonic() - started
            self.buffer += chunk
        return None

    def close(self):
        self.sock.close()


def assert_closed(conn: Connection, within: float, what: str):
    """The server closes `conn` within `within` seconds, having sent nothing or a 408 first."""
    try:
        elapsed = conn.closed_within(within)
        assert elapsed is not None, f"{what}: the connection is still open {within} s later"
        if conn.buffer:
            status = int(conn.buffer.split(b" ", 2)[1])
            assert status == 408, f"{what}: answered {conn.buffer[:120]!r} before closing"
        return elapsed
    finally:
        conn.close()


def exchange(server, data: bytes, timeout: float = 10):
    """Sends `data` (a request ending in Connection: close) and reads until the server closes:
    (status, headers, everything after the head). Unlike conftest.raw_http it does not trust
    Content-Length, so a HEAD answer that wrongly carries a body shows."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, rest


# --- idle and stalled connections (item 1) ------------------------------------------------------


def test_a_connection_that_sends_nothing_is_closed(server):
    assert_closed(Connection(server), IDLE_TIMEOUT + SLACK, "no byte sent")


def test_half_sent_headers_are_closed(server):
    conn = Connection(server)
    conn.send(b"GET /ping HTTP/1.1\r\nHost: x\r\n")
    assert_closed(conn, IDLE_TIMEOUT + SLACK, "headers not finished")


def test_a_declared_body_that_never_comes_is_closed(server):
    conn = Connection(server)
    conn.send(b"POST /user/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    assert_closed(conn, REQUEST_TIMEOUT + SLACK, "Content-Length: 100, no body")


def test_an_unfinished_chunked_body_is_closed(server):
    conn = Connection(server)
    conn.send(b"POST /user/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"use\r\n")
    assert_closed(conn, REQUEST_TIMEOUT + SLACK, "chunked body without its last chunk")


def test_an_idle_keep_alive_connection_is_closed(server):
    conn = Connection(server)
    for _ in range(2):  # keep-alive itself works: a second request shortly after is answered
        conn.send(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, body = conn.answer()
        assert (status, body) == (200, b'"pong"')
        time.sleep(0.5)
    assert_closed(conn, IDLE_TIMEOUT + SLACK, "idle after an answered request")


def test_a_slowloris_client_is_cut_off_while_others_are_answered(server):
    """Ten connections each send one header byte a second (never finishing the head): each is
    closed within IDLE_TIMEOUT + REQUEST_TIMEOUT (+ slack), however steadily it trickles, and a
    normal client is answered quickly all the while."""
    request = b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    limit = IDLE_TIMEOUT + REQUEST_TIMEOUT + SLACK
    slow = [Connection(server) for _ in range(10)]
    closed_after = {}
    pings = []
    started = time.monotonic()
    try:
        for tick in range(limit + 2):
            for k, conn in enumerate(slow):
                if k in closed_after:
                    continue
                try:
                    gone = conn.closed()
                    if not gone:
                        conn.send(request[tick:tick + 1])
                except OSError:
                    gone = True
                if gone:
                    closed_after[k] = time.monotonic() - started
            asked = time.monotonic()
            answer = requests.get(server.url + "/ping", timeout=5)
            pings.append((answer.status_code, round(time.monotonic() - asked, 2)))
            if len(closed_after) == len(slow):
                break
            time.sleep(max(0.0, started + tick + 1 - time.monotonic()))
    finally:
        for conn in slow:
            conn.close()
    assert all(status == 200 and took < 1 for status, took in pings), pings
    still_open = len(slow) - len(closed_after)
    assert not still_open, f"{still_open} of {len(slow)} slowloris connections still open after {limit + 1} s"
    assert max(closed_after.values()) <= limit, closed_after


# --- many idle connections (item 1) ------------------------------------------------------------


@contextmanager
def soft_fd_limit(soft):
    """Runs the block with RLIMIT_NOFILE's soft limit at `soft` (at most the hard one), then restores it."""
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, before[1]), before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)


def fd_limits(pid):
    """(soft, hard) "Max open files" of a process, from /proc/PID/limits."""
    for line in pathlib.Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            soft, hard = line.split()[3:5]
            return soft, hard
    raise AssertionError("no Max open files line")


def open_sockets(pid):
    count = 0
    for fd in pathlib.Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += fd.readlink().name.startswith("socket:")
        except OSError:
            pass
    return count


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_eleven_hundred_idle_connections_do_not_starve_normal_clients(tmp_path_factory):
    """The attack as found: 1 100 connections that say nothing, from one client. The server is
    started with the soft descriptor limit of a default Linux session (1 024) and must raise it to
    the hard one itself; connections over MAX_CONNECTIONS may be closed at once. Throughout, a
    normal client asking /ping every 0.2 s over a new connection never goes longer than
    IDLE_TIMEOUT + 2 s without a 200; the server never holds much more than MAX_CONNECTIONS
    sockets and does not spin."""
    with soft_fd_limit(1024):
        srv = Server(str(tmp_path_factory.mktemp("stracker-data")), **SETTINGS).start()
    idle = []
    stop = threading.Event()
    probes = []  # (asked at, answered at, status or error name)
    peak_sockets = [0]

    def probe():
        while not stop.is_set():
            asked = time.monotonic()
            try:
                outcome = requests.get(srv.url + "/ping", timeout=2).status_code
            except requests.RequestException as error:
                outcome = type(error).__name__
            probes.append((asked, time.monotonic(), outcome))
            peak_sockets[0] = max(peak_sockets[0], open_sockets(srv.pid))
            time.sleep(0.2)

    hold = IDLE_TIMEOUT + 6
    findings = []
    prober = threading.Thread(target=probe, daemon=True)
    try:
        with soft_fd_limit(resource.getrlimit(resource.RLIMIT_NOFILE)[1]):  # this client needs > 1 100
            soft, hard = fd_limits(srv.pid)
            prober.start()
            opened = time.monotonic()
            for n in range(1, 1101):  # non-blocking: a connection the server never accepts must not stall us
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setblocking(False)
                code = sock.connect_ex(("127.0.0.1", srv.port))
                assert code in (0, errno.EINPROGRESS, errno.EAGAIN), errno.errorcode.get(code, code)
                idle.append(sock)
                if n % 50 == 0:  # in batches the accept queue holds: each connection reaches the server
                    time.sleep(0.05)
            time.sleep(max(0.0, opened + hold - 3 - time.monotonic()))
            cpu_before = cpu_seconds(srv.pid)
            time.sleep(3)
            spinning = (cpu_seconds(srv.pid) - cpu_before) / 3
            stop.set()
            prober.join(timeout=10)
            poller = select.poll()
            for sock in idle:
                poller.register(sock, select.POLLIN | select.POLLHUP | select.POLLERR)
            dropped = len(poller.poll(0))
            for sock in idle:
                sock.close()
            idle.clear()

            answered = [done for asked, done, outcome in probes if outcome == 200 and asked >= opened]
            marks = [opened] + answered + [opened + hold]
            longest = max(b - a for a, b in zip(marks, marks[1:]))
            failed = [outcome for asked, _, outcome in probes if outcome != 200]
            print(f"1 100 idle connections: {dropped} closed by the server within {hold} s; /ping: "
                  f"{len(answered)} answered, {len(failed)} failed, longest wait {longest:.1f} s; server sockets "
                  f"at most {peak_sockets[0]}; server CPU {spinning:.2f} cores at the end; fd limits {soft}/{hard}")
            if longest > IDLE_TIMEOUT + 2:
                findings.append(f"/ping went {longest:.1f} s without a 200 while 1 100 idle connections were open "
                                f"({len(failed)} of {len(probes)} probes failed: {sorted(set(map(str, failed)))})")
            if peak_sockets[0] > MAX_CONNECTIONS + 10:
                findings.append(f"the server held {peak_sockets[0]} sockets (MAX_CONNECTIONS={MAX_CONNECTIONS})")
            if spinning > 0.5:
                findings.append(f"the server used {spinning:.2f} cores with nothing but idle connections open")
            if soft != hard:
                findings.append(f"the server kept its soft descriptor limit {soft} below the hard limit {hard}")
            try:
                healthy = requests.get(srv.url + "/healthz", timeout=5).status_code == 200
            except requests.RequestException:
                healthy = False
            if not healthy:
                findings.append("/healthz does not answer 200 once the idle connections are closed")
    finally:
        stop.set()
        for sock in idle:
            sock.close()
        srv.stop(timeout=5)
    assert not findings, "\n".join(findings)


# --- HTTP edge cases (items 7 and 14) -------------------------------------------------------------


def test_a_declared_ten_megabyte_body_is_413_at_once(server, member):
    """Answered from Content-Length alone, without waiting for 64 KiB of body to arrive."""
    for path, auth in (("/spending/", True), ("/user/login", False)):
        conn = Connection(server)
        try:
            conn.send(f"POST {path} HTTP/1.1\r\nHost: x\r\n".encode()
                      + (f"Authorization: Bearer {member.access}\r\n".encode() if auth else b"")
                      + b"Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n")
            asked = time.monotonic()
            try:
                status, _, _ = conn.answer(timeout=3, head=True)
            except (socket.timeout, ConnectionError) as error:
                pytest.fail(f"POST {path} declaring 10 MiB, headers only: no answer within 3 s ({type(error).__name__})")
            took = time.monotonic() - asked
            assert status == 413, (path, status)
            assert took < 1, (path, took)
        finally:
            conn.close()
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200


def test_an_invalid_chunk_size_is_400(server, member):
    for path, auth in (("/spending/", True), ("/user/login", False)):
        request = (f"POST {path} HTTP/1.1\r\nHost: x\r\n".encode()
                   + (f"Authorization: Bearer {member.access}\r\n".encode() if auth else b"")
                   + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                   + b"zz\r\n{}\r\n0\r\n\r\n")
        status, _, body = raw_http(server.url, request)
        assert status == 400, (path, status, body[:200])
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200


def test_two_host_headers_are_400(server, member):
    auth = f"Authorization: Bearer {member.access}\r\n".encode()
    for path, extra in ((b"/ping", b""), (b"/funnel/", auth)):
        for hosts in (b"Host: x\r\nHost: y\r\n", b"Host: x\r\nHost: x\r\n"):
            status, _, body = raw_http(server.url, b"GET " + path + b" HTTP/1.1\r\n" + hosts + extra + b"Connection: close\r\n\r\n")
            assert status == 400, (path, hosts, status, body[:200])


def test_head_answers_like_get_without_a_body(server, member):
    auth = f"Authorization: Bearer {member.access}\r\n".encode()
    for path, extra in ((b"/ping", b""), (b"/healthz", b""), (b"/", b""), (b"/funnel/", auth), (b"/overview", auth),
                        (b"/user/decode", auth)):
        get = exchange(server, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"Connection: close\r\n\r\n")
        head = exchange(server, b"HEAD " + path + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"Connection: close\r\n\r\n")
        assert get[0] == 200, (path, get[0])
        assert head[0] == 200, (path, "HEAD answered", head[0], "GET answered", get[0])
        assert head[2] == b"", (path, "HEAD carried a body", head[2][:80])
        assert head[1].get("content-type") == get[1].get("content-type"), (path, head[1], get[1])
        if "content-length" in head[1]:
            assert head[1]["content-length"] == str(len(get[2])), (path, head[1]["content-length"], len(get[2]))


STATIC_PROBES = [
    b"/js/api.js%00.html", b"/js/api.js%00", b"/index.html%00.js", b"/%00", b"/js%00", b"/js/%00",
    b"/..%2f..%2fetc/passwd", b"/%2e%2e/%2e%2e/etc/passwd", b"/..\\..\\etc\\passwd", b"/js/..%2f..%2fPackage.swift",
    b"/js/..%5c..%5cPackage.swift", b"/.%2e/.%2e/Package.swift", b"/js/%2e%2e/%2e%2e/Package.swift",
    b"/%2e%2e%2f%2e%2e%2fetc%2fpasswd", b"/js/..%252f..%252fPackage.swift", b"/%c0%ae%c0%ae/Package.swift",
    b"//evil.example", b"/%2fevil.example", b"/%5cevil.example", b"/\\evil.example/",
]


def test_static_paths_never_leave_web_nor_echo_what_they_decode(server):
    """Nothing outside web/ is ever served; a path holding a NUL (the file system stops reading a
    C string there) is no file at all, so `/js/api.js%00.html` is not api.js typed as HTML; a
    redirect's Location never holds a decoded NUL, a blank, `..` or a second host."""
    problems = []
    for path in STATIC_PROBES:
        status, headers, body = exchange(server, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        location = headers.get("location", "")
        if b"root:" in body or b"PackageDescription" in body or b"swift-tools-version" in body:
            problems.append((path, status, "served a file from outside web/"))
        elif b"%00" in path and status not in (400, 404) and not 300 <= status < 400:
            problems.append((path, status, headers.get("content-type"), "a path with a NUL is no file"))
        elif 300 <= status < 400:
            if any(ord(c) < 0x21 or ord(c) == 0x7F for c in location) or "%00" in location or ".." in location \
                    or location.startswith(("//", "/\\")):
                problems.append((path, status, f"Location {location!r}"))
        elif status == 200 and body != INDEX_HTML:
            problems.append((path, status, headers.get("content-type"), "200 with something other than index.html"))
        elif status not in (200, 400, 404):
            problems.append((path, status, body[:80]))
    assert not problems, "\n".join(map(str, problems))


def test_answers_carrying_tokens_or_a_secret_are_never_cached(server):
    """The TOTP secret and every token pair are answers no browser or proxy may keep."""

    def no_store(answer, what):
        assert answer.status_code == 200, (what, answer.status_code, answer.text[:200])
        assert "no-store" in answer.headers.get("Cache-Control", ""), (what, answer.headers.get("Cache-Control"))

    username = "cache-" + uuid.uuid4().hex[:8]
    answer = requests.post(server.url + "/user/generate-otp-secret", json={"username": username}, timeout=10)
    no_store(answer, "POST /user/generate-otp-secret")
    secret = answer.json()["secret"]
    answer = requests.post(server.url + "/user/", json={"username": username, "otp_secret": secret,
                                                        "otp_example": pyotp.TOTP(secret).now()}, timeout=10)
    no_store(answer, "POST /user/ (register)")
    account = Account(server.url, username, secret, answer.json())
    no_store(account.login(), "POST /user/login")
    answer = requests.post(server.url + "/user/refresh", json={"refresh": account.refresh}, timeout=10)
    no_store(answer, "POST /user/refresh")
    assert set(answer.json()) >= {"access", "refresh"}
