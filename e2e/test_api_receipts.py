"""Receipts over real HTTP: the 5 MiB limit as a client meets it, and a backup taken while the
service runs carrying the pictures to a new machine, where `stracker restore` puts them back."""

import hashlib
import os
import pathlib
import subprocess

import requests

from conftest import Server, raw_http, register

JPEG = b"\xff\xd8\xff\xe0" + b"a receipt" * 10


def put_receipt(account, spending, body):
    return requests.put(f"{account.url}/spending/{spending}/receipt", data=body,
                        headers={**account.headers, "Content-Type": "image/jpeg"}, timeout=30)


def test_the_limit_is_five_mib(server):
    account = register(server.url)
    funnel = account.get("/funnel/").json()[0]["id"]
    spending = account.post("/spending/", {"amount": 12, "funnel_id": funnel}).json()
    largest = b"\xff\xd8\xff" + bytes(5 * 1024 * 1024 - 3)
    answer = put_receipt(account, spending, largest)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"content_type": "image/jpeg", "size": len(largest), "hash": hashlib.sha256(largest).hexdigest()}
    # One byte more is refused at once, from its Content-Length, before the body is read.
    head = (f"PUT /spending/{spending}/receipt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {account.access}\r\n"
            f"Content-Length: {len(largest) + 1}\r\n\r\n").encode()
    status, headers, body = raw_http(server.url, head)
    assert status == 413 and b"Request body too large" in body
    # Only this route takes large bodies.
    status, _, _ = raw_http(server.url, head.replace(f"PUT /spending/{spending}/receipt".encode(), f"PUT /spending/{spending}".encode()))
    assert status == 413
    shown = requests.get(f"{server.url}/spending/{spending}/receipt", headers=account.headers, timeout=30)
    assert shown.status_code == 200 and shown.content == largest
    assert shown.headers["Cache-Control"] == "private, no-cache"
    assert shown.headers["X-Content-Type-Options"] == "nosniff"


def test_a_backup_carries_the_receipts_to_a_new_machine(server, tmp_path):
    account = register(server.url)
    funnel = account.get("/funnel/").json()[0]["id"]
    spending = account.post("/spending/", {"amount": 7.5, "funnel_id": funnel, "note": "bakery"}).json()
    assert put_receipt(account, spending, JPEG).status_code == 200
    backup = tmp_path / "backup.sqlite"
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": server.data_dir}
    done = subprocess.run([str(server.binary), "backup", str(backup)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "with 1 receipt files" in done.stdout

    # The new machine: an empty data folder with the same keys (tokens stay valid), then restore.
    new_data = tmp_path / "new-data"
    new_data.mkdir(mode=0o700)
    (new_data / "keys.json").write_bytes((pathlib.Path(server.data_dir) / "keys.json").read_bytes())
    os.chmod(new_data / "keys.json", 0o600)
    done = subprocess.run([str(server.binary), "restore", str(backup)], env={**env, "DATA_DIR": str(new_data)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "1 receipt files" in done.stdout
    assert (new_data / "receipts" / hashlib.sha256(JPEG).hexdigest()).read_bytes() == JPEG
    server.stop()
    moved = Server(str(new_data)).start()
    try:
        shown = requests.get(f"{moved.url}/spending/{spending}/receipt", headers=account.headers, timeout=10)
        assert shown.status_code == 200 and shown.content == JPEG
        assert requests.get(f"{moved.url}/spending/{spending}", headers=account.headers, timeout=10).json()["has_receipt"] is True
    finally:
        moved.stop()
