"""GET /export.csv and POST /import on the built binary: a million spendings stream out with the
server's memory flat, and an exported file imports back into an empty household with identical
totals."""

import csv
import io
import sqlite3
import threading
import time

import requests

import stracker_harness
from conftest import Server, register

ALL_TIME = {"timestamp_from": -1, "timestamp_to": 253402300800000}
BULK = 1_000_000


def seed(db_path, template_id, count, first_ms=1_600_000_000_000):
    """`count` copies of the spending `template_id`, one a minute from `first_ms`, amounts 0.01…50.00."""
    db = sqlite3.connect(db_path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(spending)")]
    replaced = {"id": "printf('bulk-%07d', i)", "amount_minor": "1 + i % 5000", "timestamp": f"{first_ms} + i * 60000",
                "note": "'note ' || i"}
    select = ", ".join(replaced.get(c, f"s.{c}") for c in columns)
    with db:
        db.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
            f"INSERT INTO spending ({', '.join(columns)}) SELECT {select} FROM n, spending s WHERE s.id = ?",
            (count, template_id))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


class PeakRSS(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, stracker_harness.rss_kib(self.pid) or 0)
            time.sleep(0.02)


def test_a_million_spendings_stream_out_in_flat_memory(tmp_path):
    (tmp_path / "data").mkdir()
    server = Server(str(tmp_path / "data")).start()
    try:
        alice = register(server.url, "alice")
        food = alice.get("/funnel/").json()[0]["id"]
        template = alice.post("/spending/", {"amount": 1, "funnel_id": food, "timestamp": 0}).json()
        server.stop()
        seed(tmp_path / "data" / "stracker.sqlite", template, BULK)
        server.start()
        alice.login()
        # Idle: after the first authenticated answers, as a family's server sits between uses.
        assert alice.get("/overview").status_code == 200
        time.sleep(0.5)
        idle = stracker_harness.rss_kib(server.pid)
        sampler = PeakRSS(server.pid)
        sampler.start()
        started = time.monotonic()
        lines = 0
        with requests.get(server.url + "/export.csv", headers=alice.headers, stream=True, timeout=300) as answer:
            assert answer.status_code == 200
            assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
            tail = b""
            for chunk in answer.iter_content(chunk_size=1 << 16):
                lines += chunk.count(b"\n")
                tail = (tail + chunk)[-200:]
        seconds = time.monotonic() - started
        sampler.running = False
        sampler.join()
        assert lines == BULK + 2  # the header, the template, the million
        assert tail.endswith(b",note 999999\r\n")
        grown = (sampler.peak - idle) / 1024
        print(f"\nexport: {BULK + 1} rows in {seconds:.2f} s = {(BULK + 1) / seconds:,.0f} rows/s; "
              f"RSS idle {idle / 1024:.1f} MiB, peak {sampler.peak / 1024:.1f} MiB (+{grown:.1f} MiB)")
        assert grown <= 20, f"RSS grew {grown:.1f} MiB during the export"
    finally:
        server.stop()


def test_an_export_imports_back_into_an_empty_household_with_identical_totals(server):
    alice = register(server.url, "alice")
    funnels = alice.get("/funnel/").json()
    gifts = alice.post("/funnel/", {"name": "+Gifts, \"big\"", "limit": 50, "color": "#ff0000", "emoji": "🎁"}).json()
    notes = ["", "bread, milk", "=cmd|' /C calc'!A0", "two\nlines", "\"quoted\"", "Grüße 🍕", "-minus", "@at"]
    for i in range(400):
        funnel = [funnels[0]["id"], funnels[1]["id"], gifts][i % 3]
        answer = alice.post("/spending/", {"amount": round(0.01 + i * 1.37, 2) * (-1 if i % 17 == 0 else 1),
                                           "funnel_id": funnel, "timestamp": 1_700_000_000_000 + i * 3_599_999,
                                           "note": notes[i % len(notes)]})
        assert answer.status_code == 201, answer.text
    exported = alice.get("/export.csv")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text, newline="")))
    assert len(rows) == 400 and rows[2]["note"] == "'=cmd|' /C calc'!A0"

    bob = register(server.url, "bob")
    csv_headers = {**bob.headers, "Content-Type": "text/csv"}
    # Bob has Food and Misc, not the third funnel: named, not guessed.
    unknown = requests.post(server.url + "/import", data=exported.content, headers=csv_headers, timeout=30)
    assert unknown.status_code == 422 and all(d["loc"][2] == "funnel" for d in unknown.json()["detail"][:-1])
    dry = requests.post(server.url + "/import?dry_run=1&create_funnels=1", data=exported.content, headers=csv_headers, timeout=30)
    assert dry.json() == {"rows": 400, "created": 400, "duplicates": 0, "funnels_created": ["+Gifts, \"big\""], "dry_run": True}
    assert bob.get("/spending/", params=ALL_TIME).json() == []
    done = requests.post(server.url + "/import?create_funnels=1", data=exported.content, headers=csv_headers, timeout=30)
    assert done.status_code == 200, done.text
    assert done.json() == {"rows": 400, "created": 400, "duplicates": 0, "funnels_created": ["+Gifts, \"big\""], "dry_run": False}

    def totals(account):
        names = {f["id"]: f["name"] for f in account.get("/funnel/").json()}
        sums = {}
        for s in account.get("/spending/", params={**ALL_TIME, "limit": 1000}).json():
            key = names[s["funnel_id"]]
            sums[key] = round(sums.get(key, 0) + s["amount"], 2)
        return sums, sorted((s["timestamp"], s["amount"], s["note"]) for s in account.get("/spending/", params={**ALL_TIME, "limit": 1000}).json())

    assert totals(bob) == totals(alice)
    assert bob.get("/export.csv").text == exported.text.replace(",alice,", ",bob,")

    again = requests.post(server.url + "/import", data=exported.content, headers=csv_headers, timeout=30)
    assert again.json()["duplicates"] == 400 and again.json()["created"] == 0


def test_a_bad_file_names_its_line_and_column_and_stores_nothing(account):
    body = "date,amount,funnel\n2025-09-01,1,Food\n2025-09-02,1.234,Food\n2025-09-03,2,Nowhere\n"
    answer = requests.post(account.url + "/import", data=body.encode(), headers={**account.headers, "Content-Type": "text/csv"}, timeout=10)
    assert answer.status_code == 422
    assert [(d["loc"], d["msg"]) for d in answer.json()["detail"]] == [
        (["body", 3, "amount"], 'Line 3, column amount: "1.234" has more than 2 decimal places'),
        (["body", 4, "funnel"], 'Line 4, column funnel: no funnel "Nowhere" (yours: "Food", "Misc"); add create_funnels=1 to create it'),
    ]
    assert account.get("/spending/", params=ALL_TIME).json() == []
    too_big = requests.post(account.url + "/import", data=b"x" * (17 << 20), headers=account.headers, timeout=30)
    assert too_big.status_code == 413
