"""`stracker import-stracker` on the built binary: a database made with the older app's exact
schema imports completely, its users sign in with codes from the secrets they already have,
a second run imports nothing new, and a running service keeps the import out."""

import sqlite3
import subprocess

import pyotp
import requests

from conftest import Server

OLD_SCHEMA = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE users (username VARCHAR NOT NULL, otp_secret VARCHAR, PRIMARY KEY (username));
CREATE TABLE funnels (id INTEGER NOT NULL, name VARCHAR, "limit" FLOAT, color VARCHAR, emoji VARCHAR, user_name VARCHAR,
    PRIMARY KEY (id), FOREIGN KEY(user_name) REFERENCES users (username));
CREATE TABLE spendings (id INTEGER NOT NULL, amount FLOAT, timestamp INTEGER, funnel_id INTEGER,
    PRIMARY KEY (id), FOREIGN KEY(funnel_id) REFERENCES funnels (id));
CREATE TABLE jwt_blacklist (username VARCHAR NOT NULL, iat_until INTEGER, PRIMARY KEY (username));
"""

ALL_TIME = {"timestamp_from": -1, "timestamp_to": 253402300800000}
SEPT = 1758000000000


def old_database(path, alice, bob):
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO alembic_version VALUES ('5d1b3c2a7e90')")
    db.executemany("INSERT INTO users VALUES (?, ?)", [("alice", alice), ("Bob", bob), ("bob", pyotp.random_base32())])
    db.executemany(
        'INSERT INTO funnels VALUES (?, ?, ?, ?, ?, ?)',
        [
            (1, "Food", 300.0, "orange", "🍞", "alice"),
            (2, "Fun", 99.999, "teal", "🍕🍔", "alice"),
            (3, None, None, "blurple", "$", "Bob"),
            (4, "Ghost", 10, "red", "👻", "nobody"),
        ],
    )
    rows = [(i, [12.34, 2.675, 40, 0.1][i % 4], SEPT + i * 60_000, 1 + i % 3) for i in range(1, 201)]
    rows += [(500, 7, SEPT, 99), (501, None, SEPT, 1)]
    db.executemany("INSERT INTO spendings VALUES (?, ?, ?, ?)", rows)
    db.execute("INSERT INTO jwt_blacklist VALUES ('alice', 1700000000)")
    db.commit()
    db.close()
    return rows


def run_import(binary, data_dir, old, *extra):
    return subprocess.run(
        [str(binary), "import-stracker", str(old), *extra],
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(data_dir), "CURRENCY": "EUR", "TIME_ZONE": "Europe/Berlin"},
        capture_output=True, text=True, timeout=60,
    )


def sign_in(url, username, secret):
    answer = requests.post(url + "/user/login", json={"username": username, "otp": pyotp.TOTP(secret).now()}, timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access']}"}


def test_an_old_database_imports_completely_and_its_users_sign_in(tmp_path):
    alice, bob = pyotp.random_base32(), pyotp.random_base32()
    old = tmp_path / "old.db"
    rows = old_database(old, alice, bob)
    before = old.read_bytes()
    data = tmp_path / "data"
    server = Server(str(data))

    first = run_import(server.binary, data, old)
    assert first.returncode == 0, first.stderr
    # 3 users (the second "bob" renamed), 3 funnels (the ghost's owner is missing),
    # 200 spendings (two left out); 99.999 and the fifty 2.675s are not whole cents.
    assert "Imported: users 3, funnels 3, spendings 200, skipped 3, rounded 51" in first.stdout, first.stdout
    assert 'user bob: imported as "bob-2"' in first.stdout
    assert "spending 1: amount 2.675 rounded to 2.68" in first.stdout
    assert 'spending 500: its funnel "99" is gone or not imported' in first.stdout
    assert "spending 501: no amount" in first.stdout
    assert old.read_bytes() == before, "the old database must only be read"

    server.start()
    try:
        headers = sign_in(server.url, "alice", alice)
        funnels = requests.get(server.url + "/funnel/", headers=headers, timeout=10).json()
        assert [(f["id"], f["name"], f["limit"], f["color"], f["emoji"], f["shared"]) for f in funnels] == [
            ("1", "Food", 300, "#ffa500", "🍞", False),
            ("2", "Fun", 100, "#008080", "🍕🍔", False),
        ]
        household = requests.get(server.url + "/household", headers=headers, timeout=10).json()
        assert (household["period_start_day"], household["time_zone"], household["currency"]) == (15, "Europe/Berlin", "EUR")

        spendings = requests.get(server.url + "/spending/", params={**ALL_TIME, "limit": 1000}, headers=headers, timeout=10).json()
        expected = {str(i): round(a * 100 + (0.5 if a == 2.675 else 0)) for i, a, _, f in rows[:200] if f in (1, 2)}
        assert {s["id"]: round(s["amount"] * 100) for s in spendings} == expected
        assert all(s["user"] == "alice" for s in spendings)

        # The old client keeps posting into a kept funnel id.
        posted = requests.post(server.url + "/spending/", json={"amount": 3.2, "funnel_id": "1"}, headers=headers, timeout=10)
        assert posted.status_code == 201, posted.text

        bob_headers = sign_in(server.url, "Bob", bob)
        bobs = requests.get(server.url + "/funnel/", headers=bob_headers, timeout=10).json()
        assert [(f["id"], f["name"], f["limit"], f["emoji"]) for f in bobs] == [("3", "Funnel 3", 0, "$")]
        assert requests.get(server.url + "/funnel/1", headers=bob_headers, timeout=10).status_code == 404

        # While the service holds the data folder, the import is refused and writes nothing.
        during = run_import(server.binary, data, old)
        assert during.returncode != 0
        assert "Another stracker process is using" in during.stderr, during.stderr
    finally:
        server.stop()

    second = run_import(server.binary, data, old)
    assert second.returncode == 0, second.stderr
    assert "Imported: users 0, funnels 0, spendings 0, skipped 3, rounded 51" in second.stdout, second.stdout
    assert "already there from an earlier import: users 3, funnels 3, spendings 200" in second.stdout
    counts = sqlite3.connect(data / "stracker.sqlite").execute(
        "SELECT (SELECT COUNT(*) FROM user), (SELECT COUNT(*) FROM funnel), (SELECT COUNT(*) FROM spending)"
    ).fetchone()
    assert counts == (3, 3, 201)


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    old = tmp_path / "old.db"
    old_database(old, pyotp.random_base32(), pyotp.random_base32())
    data = tmp_path / "data"
    server = Server(str(data))
    dry = run_import(server.binary, data, old, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would import: users 3, funnels 3, spendings 200, skipped 3, rounded 51" in dry.stdout
    users = sqlite3.connect(data / "stracker.sqlite").execute("SELECT COUNT(*) FROM user").fetchone()
    assert users == (0,)


def test_what_is_not_an_old_database_is_refused(tmp_path):
    server = Server(str(tmp_path / "data"))
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 2\0" + b"x" * 200)
    for path, message in [
        (tmp_path / "missing.db", "The old database cannot be read: no readable file"),
        (garbage, "The old database cannot be read: file is not a database"),
    ]:
        answer = run_import(server.binary, tmp_path / "data", path)
        assert answer.returncode == 1 and message in answer.stderr, answer.stderr
        assert "Fatal" not in answer.stderr and "Traceback" not in answer.stderr
