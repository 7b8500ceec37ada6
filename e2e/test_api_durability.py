"""Durability (issue 10, item 12): a spending the server answered 201 survives the process being
killed at any moment, exactly once, and the database file is never left corrupt.

A graceful stop is tested in test_api_restart.py (SIGTERM drains in-flight requests). This is the
other case: SIGKILL in the middle of concurrent writes, which no handler can soften, so what is
on disk is what the database's commit made durable before the 201 went out. SIGKILL is a process
crash, not a power cut: it proves the commit reached the OS before the answer; the sync that
makes it survive a power cut (synchronous=FULL) would need a machine crash to show. The writers'
spendings meet in group commits (the test checks that batches of more than one were made, from
/metrics), so a kill lands in the middle of batches: none of a batch's writes may be answered
before the batch is committed.

Five rounds on one data folder, so a later round also proves the earlier rounds' spendings stayed.
Each round prints its acknowledged, in-flight and lost counts (visible with pytest -s).
"""

import itertools
import pathlib
import random
import signal
import sqlite3
import threading
import time
import uuid

import requests

from conftest import register

WRITERS = 8
ROUNDS = 5
KILL_WINDOW = (0.3, 2.0)  # seconds after the writers start
AFTER_LAST_MS = 253402300800000  # just past the last millisecond of 9999: the exclusive upper bound that takes in every instant
PAGE = 5000  # the largest `limit` GET /spending/ accepts


def open_read_only(db_path):
    """The database file as the crash left it, without changing a byte of it (no checkpoint)."""
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)


def stored_rows(db_path):
    """{id: (amount_minor, timestamp, count)} of every spending in the file, and integrity_check's verdict."""
    db = open_read_only(db_path)
    try:
        verdict = [row[0] for row in db.execute("PRAGMA integrity_check")]
        rows = {row[0]: row[1:] for row in db.execute(
            "SELECT id, amount_minor, timestamp, COUNT(*) FROM spending GROUP BY id")}
        return rows, verdict
    finally:
        db.close()


def listed_spendings(account):
    """Every spending of the account through the API, newest first, paged with `before` (the test
    gives each spending its own timestamp, so a page boundary never splits equal timestamps)."""
    result, before = [], None
    while True:
        params = {"timestamp_from": -1, "timestamp_to": AFTER_LAST_MS, "limit": PAGE}
        if before is not None:
            params["before"] = before
        answer = account.get("/spending/", params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        result += page
        if len(page) < PAGE:
            return result
        before = page[-1]["timestamp"]


def group_commits(url):
    """(group commits, writes they held) since the server started, from its /metrics."""
    values = {}
    for line in requests.get(url + "/metrics", timeout=10).text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("database_group_commits_total", "database_group_commit_writes_total"):
            values[name] = float(value)
    return values.get("database_group_commits_total", 0), values.get("database_group_commit_writes_total", 0)


class Writers:
    """WRITERS threads posting spendings with client-chosen ids as fast as the server answers,
    until the server dies. Every body is remembered; its id lands in `acknowledged` (201),
    `unanswered` (sent, no answer: it may or may not have been stored) or `refused` (any other
    status while the server was alive: a failure)."""

    def __init__(self, account, funnel_id, timestamps):
        self.account = account
        self.funnel_id = funnel_id
        self.timestamps = timestamps  # shared itertools.count: every spending its own timestamp
        self.bodies = {}
        self.acknowledged, self.unanswered, self.refused = set(), set(), []
        self.lock = threading.Lock()
        self.started = threading.Barrier(WRITERS + 1)
        self.threads = [threading.Thread(target=self.write, daemon=True) for _ in range(WRITERS)]

    def write(self):
        http = requests.Session()
        self.started.wait()
        while True:
            cents = random.randint(1, 999_999)
            body = {"id": str(uuid.uuid4()), "amount": cents / 100, "funnel_id": self.funnel_id,
                    "timestamp": next(self.timestamps), "note": "durable"}
            with self.lock:
                self.bodies[body["id"]] = (body, cents)
            try:
                answer = http.post(self.account.url + "/spending/", json=body, headers=self.account.headers, timeout=30)
            except requests.RequestException:
                with self.lock:
                    self.unanswered.add(body["id"])
                return  # the server is gone
            with self.lock:
                if answer.status_code == 201 and answer.json() == body["id"]:
                    self.acknowledged.add(body["id"])
                else:
                    self.refused.append((answer.status_code, answer.text[:200]))
                    return

    def start(self):
        for thread in self.threads:
            thread.start()
        self.started.wait()

    def join(self):
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in self.threads), "a writer still runs after the kill"


def test_acknowledged_spendings_survive_kill_9_exactly_once(server):
    account = register(server.url)
    funnel_id = account.get("/funnel/").json()[0]["id"]
    db_path = pathlib.Path(server.data_dir) / "stracker.sqlite"
    timestamps = itertools.count(int(time.time() * 1000) - 1000, -1)  # distinct, newest first, in the past
    expected = {}  # id -> cents, over all rounds: what must be there
    report = []
    commits = writes = 0  # group commits and the writes they held, summed over the rounds

    for round_no in range(1, ROUNDS + 1):
        writers = Writers(account, funnel_id, timestamps)
        writers.start()
        delay = random.uniform(*KILL_WINDOW)
        time.sleep(delay)
        round_commits, round_writes = group_commits(server.url)
        commits, writes = commits + round_commits, writes + round_writes
        server.stop(signal.SIGKILL)
        writers.join()
        assert not writers.refused, f"round {round_no}: answers other than 201 before the kill: {writers.refused[:5]}"
        assert writers.acknowledged, f"round {round_no}: no write was answered in {delay:.2f} s"

        # The file as the crash left it: intact, with every acknowledged spending exactly once.
        rows, verdict = stored_rows(db_path)
        assert verdict == ["ok"], f"round {round_no}: integrity_check says {verdict[:10]}"
        lost = sorted(i for i in writers.acknowledged if i not in rows)
        for spending_id in writers.acknowledged | writers.unanswered:
            if spending_id in rows:
                body, cents = writers.bodies[spending_id]
                assert rows[spending_id] == (cents, body["timestamp"], 1), (round_no, spending_id, rows[spending_id])
        earlier_lost = sorted(i for i in expected if i not in rows)
        in_flight_stored = sum(1 for i in writers.unanswered if i in rows)
        report.append(f"round {round_no}: SIGKILL after {delay:.2f} s, {len(writers.acknowledged)} acknowledged, "
                      f"{len(writers.unanswered)} in flight ({in_flight_stored} of them stored), {len(lost)} lost")
        print(report[-1])
        assert not lost, f"round {round_no}: {len(lost)} acknowledged spendings lost, e.g. {lost[:3]}"
        assert not earlier_lost, f"round {round_no}: spendings of earlier rounds gone: {earlier_lost[:3]}"
        expected.update({i: writers.bodies[i][1] for i in writers.acknowledged})
        assert len(rows) == len(expected) + in_flight_stored, f"round {round_no}: spendings nobody sent are stored"

        # Restarted on the same folder: a client retrying what got no answer gets 201 with its
        # id, whether the first attempt was stored or not, and nothing is stored twice.
        server.start()
        for spending_id in sorted(writers.unanswered):
            body, cents = writers.bodies[spending_id]
            answer = account.post("/spending/", body)
            assert (answer.status_code, answer.json()) == (201, spending_id), (round_no, answer.text)
            expected[spending_id] = cents
        listed = listed_spendings(account)
        ids = [s["id"] for s in listed]
        assert len(ids) == len(set(ids)), f"round {round_no}: a spending listed twice"
        assert set(ids) == set(expected), (f"round {round_no}: missing {sorted(set(expected) - set(ids))[:3]}, "
                                           f"unexpected {sorted(set(ids) - set(expected))[:3]}")
        assert all(round(s["amount"] * 100) == expected[s["id"]] for s in listed), f"round {round_no}: an amount changed"

    server.stop()
    rows, verdict = stored_rows(db_path)
    assert verdict == ["ok"] and set(rows) == set(expected)
    print(f"{ROUNDS} rounds of kill -9 under {WRITERS} writers: "
          f"{len(expected)} spendings stored, 0 lost; integrity_check ok; "
          f"{writes:.0f} writes in {commits:.0f} group commits before the kills")
    # The writers' spendings met in shared commits: what was killed was the group commit.
    assert writes > commits > 0, (writes, commits)
