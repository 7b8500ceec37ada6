"""The built stracker binary as a black box, for e2e/ (pytest fixtures) and bench/ (overview.py).

- `binary_path()`: which binary to run (STRACKER_BIN, else the release build, else the debug one);
- `Server`: that binary on a free 127.0.0.1 port with its own DATA_DIR, run from a folder of
  ours so that no developer's `.env` is read; start, stop with a signal, restart on the same data;
- `register_user()`: sign up through the API as the app does (generate a secret, answer with a
  current pyotp code);
- `rss_kib()`, `Abort`, `on_signal`, `report_failure()` and `wind_down()`: what the benchmarks
  measure and how they unwind;
- `clone_spendings_sqlite()`: the benchmark's bulk seeding, the one place outside Sources/Storage
  that writes to the database (see its docstring).

Standard library, requests and pyotp only; import it with `tools/` on sys.path.
"""

import os
import pathlib
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pyotp
import requests

REPO = pathlib.Path(__file__).resolve().parent.parent
WEB = REPO / "web"


def binary_path(allow_debug: bool = True) -> pathlib.Path:
    """STRACKER_BIN, else the release build (what the Dockerfile ships), else (if allowed) the debug build."""
    if os.environ.get("STRACKER_BIN"):
        return pathlib.Path(os.environ["STRACKER_BIN"]).resolve()
    candidates = [REPO / ".build" / "release" / "stracker"]
    if allow_debug:
        candidates.append(REPO / ".build" / "debug" / "stracker")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise RuntimeError("no stracker binary: run `swift build -c release --product stracker` first or set STRACKER_BIN")


def rss_kib(pid):
    """The process's resident set (VmRSS) in KiB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Abort(Exception):
    """A signal or the global time limit: unwind through the finally blocks."""


def on_signal(signum, _frame):
    """Install for SIGINT/SIGTERM: a benchmark stops its server on the way out."""
    raise Abort(f"stopped by {signal.Signals(signum).name}")


def report_failure(script: str, server, error) -> int:
    """A benchmark's failure on stderr, with the server's last log lines if it ran; the exit status."""
    print(f"{script} failed: {error}", file=sys.stderr)
    if server.process is not None:
        print(f"--- server log (tail) ---\n{server.log_tail()}", file=sys.stderr)
    return 1


def wind_down(server, work: pathlib.Path, keep: bool, log=print):
    """A benchmark's last step, however it ended: no pending alarm, the server stopped, its data
    removed unless asked to keep it."""
    signal.alarm(0)
    try:
        server.stop()
    finally:
        if keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One stracker process on 127.0.0.1; `restart()` keeps its data folder and port.

    `settings` are environment variables on top of HOST, PORT, DATA_DIR, WEB_DIR (the repository's
    web/) and LOG_LEVEL=warning; `server.env` may be changed between a stop and a start. The
    working directory is `cwd` (default: the data folder), where the server would read a `.env`;
    its output goes to `cwd/server.log`. `own_session` starts it in a new session, so that a
    Ctrl-C meant for the caller does not reach it before the caller has stopped it. With
    TLS_CERT_FILE among the settings it serves HTTPS, and `ca_file` is the CA that start()
    checks its certificate against.
    """

    def __init__(self, data_dir, binary=None, cwd=None, own_session=False, ca_file=None, **settings: str):
        self.data_dir = str(data_dir)
        self.binary = pathlib.Path(binary) if binary else binary_path()
        self.cwd = str(cwd or data_dir)
        self.own_session = own_session
        self.port = free_port()
        self.ca_file = str(ca_file) if ca_file else None
        self.url = f"{'https' if 'TLS_CERT_FILE' in settings else 'http'}://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "DATA_DIR": self.data_dir,
            "WEB_DIR": str(WEB),
            "LOG_LEVEL": "warning",
            # Tests and benchmarks sign many users up from 127.0.0.1; the per-address limit
            # (SIGNUP_LIMIT, default 20 an hour) is tested in-process.
            "SIGNUP_LIMIT": "1000000",
            **settings,
        }
        self.process = None
        self.log_path = pathlib.Path(self.cwd) / "server.log"
        # A command the binary runs under, e.g. ["valgrind", "--tool=callgrind", ...] (bench/).
        self.wrapper: list[str] = []

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def launch(self):
        """Starts the binary (under `wrapper`, if any) without waiting for it."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([*self.wrapper, str(self.binary)], env=self.env, cwd=self.cwd,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=self.own_session)
        return self

    def start(self, timeout: float = 30):
        """Starts the binary and waits until GET /healthz answers 200."""
        self.launch()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"stracker exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1, verify=self.ca_file or True).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"stracker did not become healthy in {timeout:g} s:\n{self.log_tail()}")

    def stop(self, sig=signal.SIGTERM, timeout: float = 15) -> int:
        """Sends `sig` and waits; kills the process if it has not exited after `timeout` seconds."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else 0

    def restart(self):
        self.stop()
        return self.start()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def register_user(url: str, username: str, invite: str | None = None, http=requests, timeout: float = 10):
    """Signs `username` up through the API; returns (TOTP secret, {"access", "refresh"}).

    `http` is `requests` or a `requests.Session`. Raises RuntimeError when either call fails."""
    answer = http.post(url + "/user/generate-otp-secret", json={"username": username}, timeout=timeout)
    if answer.status_code != 200:
        raise RuntimeError(f"POST /user/generate-otp-secret: {answer.status_code} {answer.text[:300]}")
    secret = answer.json()["secret"]
    body = {"username": username, "otp_secret": secret, "otp_example": pyotp.TOTP(secret).now()}
    if invite:
        body["invite"] = invite
    answer = http.post(url + "/user/", json=body, timeout=timeout)
    if answer.status_code != 200:
        raise RuntimeError(f"POST /user/: {answer.status_code} {answer.text[:300]}")
    return secret, answer.json()


def clone_spendings_sqlite(db_path, template_id: str, rows: list[dict]) -> int:
    """Bulk seeding for benchmarks, too many rows for the API: one copy of the spending
    `template_id` per row, each with the columns the row names replaced.

    The template is a spending the server wrote through POST /spending/, so every column the
    caller does not name (household, user, whatever a later migration adds) keeps a value the
    server chose itself. Column names are checked against the live schema (PRAGMA table_info);
    a row naming a column the table does not have fails before anything is written. Runs in one
    transaction; the server should be stopped (its caches do not see writes behind its back).
    Returns the number of rows inserted.
    """
    db = sqlite3.connect(db_path, timeout=10)
    try:
        columns = [row[1] for row in db.execute("PRAGMA table_info(spending)")]
        if not columns:
            raise RuntimeError(f"{db_path} has no spending table")
        named = sorted({name for row in rows for name in row})
        unknown = [name for name in named if name not in columns]
        if unknown:
            raise RuntimeError(f"the spending table has no column {', '.join(unknown)} (it has {', '.join(columns)})")
        template = db.execute(f"SELECT {', '.join(_quoted(c) for c in columns)} FROM spending WHERE id = ?",
                              (template_id,)).fetchone()
        if template is None:
            raise RuntimeError(f"no spending {template_id} to copy")
        base = dict(zip(columns, template))
        insert = (f"INSERT INTO spending ({', '.join(_quoted(c) for c in columns)}) "
                  f"VALUES ({', '.join('?' for _ in columns)})")
        with db:  # one transaction
            db.executemany(insert, ([{**base, **row}[c] for c in columns] for row in rows))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(rows)
    finally:
        db.close()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
