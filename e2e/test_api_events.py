"""GET /events over real HTTP: live changes to every member who may see them, heartbeats that
outlast the idle timeout, Last-Event-ID replay, streams closed by sign-out, token expiry and
shutdown, and the memory an open stream costs."""

import http.client
import queue
import socket
import threading
import time
import urllib.parse

import requests

from conftest import register
from stracker_harness import rss_kib


class EventStream:
    """One open GET /events, read by a thread into a queue of (event, id, data) and comments."""

    def __init__(self, url, access, last_event_id=None):
        headers = {"Authorization": f"Bearer {access}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.connection.request("GET", "/events", headers=headers)
        self.response = self.connection.getresponse()
        self.items = queue.Queue()
        self.ended = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        block = []
        try:
            buffer = b""
            while chunk := self.response.read1(65536):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    line = line.decode()
                    if line:
                        block.append(line)
                        continue
                    self._emit(block)
                    block = []
        except Exception:
            pass
        self.ended.set()

    def _emit(self, block):
        fields = {"event": "message", "id": None, "data": None, "comment": None}
        for line in block:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "":
                fields["comment"] = value
            elif name in ("event", "id", "data"):
                fields[name] = value
        self.items.put((time.monotonic(), fields))

    def next(self, timeout=5.0, events_only=True):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, "no event in time"
            try:
                at, item = self.items.get(timeout=left)
            except queue.Empty:
                raise AssertionError("no event in time")
            if events_only and item["data"] is None:
                continue
            return at, item

    def close(self):
        """Goes away as a phone does: the connection just closes."""
        try:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()


def post_spending(account, funnel, amount):
    answer = account.post("/spending/", {"amount": amount, "funnel_id": funnel})
    assert answer.status_code == 201, answer.text
    return answer.json()


def household(url):
    owner = register(url)
    code = owner.post("/household/invite").json()["code"]
    member = register(url, invite=code)
    shared = owner.post("/funnel/", {"name": "Food", "limit": 300, "color": "#2e7d32", "emoji": "🍞", "shared": True}).json()
    personal = member.post("/funnel/", {"name": "Mine", "limit": 50, "color": "#1565c0", "emoji": "🎧", "shared": False}).json()
    return owner, member, shared, personal


def test_a_spending_reaches_every_member_who_may_see_it_at_once(server):
    owner, member, shared, personal = household(server.url)
    stranger = register(server.url)
    streams = {who: EventStream(server.url, who.access) for who in (owner, member, stranger)}
    for stream in streams.values():
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type").startswith("text/event-stream")
        assert stream.next()[1]["event"] == "ready"

    # The member's personal spending goes to the member only; the shared one to both.
    mine = post_spending(member, personal, 4.20)
    sent = time.monotonic()
    ours = post_spending(owner, shared, 12.5)
    for who in (owner, member):
        at, item = streams[who].next()
        if who is member:
            assert item["data"] == f'{{"type":"spending.created","id":"{mine}","funnel_id":"{personal}"}}'
            at, item = streams[who].next()
        assert item["data"] == f'{{"type":"spending.created","id":"{ours}","funnel_id":"{shared}"}}', who.username
        assert at - sent < 1.0, f"{who.username} heard of it after {at - sent:.3f} s"
    # Nobody else hears anything of it.
    post_spending(stranger, stranger.get("/funnel/").json()[0]["id"], 1)
    assert streams[stranger].next()[1]["data"].startswith('{"type":"spending.created"')
    assert streams[stranger].items.empty()
    for stream in streams.values():
        stream.close()


def test_heartbeats_keep_a_quiet_stream_open_past_the_idle_timeout_until_the_token_expires(make_server):
    server = make_server(EVENT_HEARTBEAT="1", IDLE_TIMEOUT="2", ACCESS_TTL="10")
    owner = register(server.url)
    funnel = owner.get("/funnel/").json()[0]["id"]
    stream = EventStream(server.url, owner.access)
    opened = time.monotonic()
    assert stream.next()[1]["event"] == "ready"
    beats = 0
    while time.monotonic() - opened < 4:
        _, item = stream.next(events_only=False)
        beats += item["comment"] == "heartbeat"
    assert beats >= 2
    spending = post_spending(owner, funnel, 3)
    assert stream.next()[1]["data"].find(spending) > 0
    # The access token lives 10 s: the stream says so and ends; the app reconnects with a fresh one.
    _, item = stream.next(timeout=12)
    assert (item["event"], item["data"]) == ("closed", '{"type":"closed","reason":"expired"}')
    assert stream.ended.wait(3)


def test_a_reconnecting_client_gets_what_it_missed(server):
    owner, member, shared, _ = household(server.url)
    stream = EventStream(server.url, member.access)
    _, ready = stream.next()
    stream.close()
    missed = [post_spending(owner, shared, amount) for amount in (1, 2, 3)]
    again = EventStream(server.url, member.access, last_event_id=ready["id"])
    replayed = [again.next()[1] for _ in range(4)]
    assert [item["event"] for item in replayed] == ["message"] * 3 + ["ready"]
    assert [item["data"].split('"id":"')[1].split('"')[0] for item in replayed[:3]] == missed
    again.close()
    # An id of another run (or none it knows) says: load everything again.
    stale = EventStream(server.url, member.access, last_event_id="0000-1")
    assert [stale.next()[1]["event"] for _ in range(2)] == ["reset", "ready"]
    stale.close()


def test_a_signed_out_device_loses_its_stream_at_once(server):
    owner = register(server.url)
    stream = EventStream(server.url, owner.access)
    stream.next()
    other = requests.post(server.url + "/user/logout", headers={"Authorization": f"Bearer {owner.access}"}, timeout=10)
    assert other.status_code == 204
    at, item = stream.next(timeout=2)
    assert item["data"] == '{"type":"closed","reason":"signed_out"}'
    assert stream.ended.wait(2)
    assert requests.get(server.url + "/events", headers={"Authorization": f"Bearer {owner.access}"}, timeout=5).status_code == 403
    # The token is never taken from the URL.
    assert requests.get(server.url + f"/events?access_token={owner.access}", timeout=5).status_code == 403


def test_stopping_the_server_ends_open_streams(make_server):
    server = make_server()
    owner = register(server.url)
    stream = EventStream(server.url, owner.access)
    stream.next()
    started = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - started < 5
    assert stream.ended.wait(2)
    assert any(item["event"] == "closed" for _, item in list(stream.items.queue))


def open_raw_stream(url, access):
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(f"GET /events HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {access}\r\n\r\n".encode())
    head = b""
    while b"event: ready" not in head:
        head += sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200"), head[:100]
    return sock


def test_open_streams_cost_little_memory(server):
    """Prints the memory an open stream costs (issue 7's closing note); fails past 64 KiB each."""
    owner = register(server.url)
    funnel = owner.get("/funnel/").json()[0]["id"]
    warm = [open_raw_stream(server.url, owner.access) for _ in range(20)]
    post_spending(owner, funnel, 1)
    time.sleep(0.5)
    before = rss_kib(server.pid)
    count = 300
    sockets = [open_raw_stream(server.url, owner.access) for _ in range(count)]
    post_spending(owner, funnel, 2)
    time.sleep(1.0)
    after = rss_kib(server.pid)
    per_stream = (after - before) / count
    print(f"\nevents: {count} open streams, RSS {before / 1024:.1f} → {after / 1024:.1f} MiB, {per_stream:.1f} KiB a stream")
    # Every one of them heard of the spending.
    for sock in sockets[:: count // 10]:
        sock.settimeout(5)
        seen = b""
        while b"spending.created" not in seen:
            seen += sock.recv(65536)
    for sock in sockets + warm:
        sock.close()
    assert per_stream < 64, f"{per_stream:.1f} KiB a stream"
