#!/usr/bin/env python3
"""bench/cold_start.py: how long from exec to the first GET /ping answered?

Starts the release binary (STRACKER_BIN) on a free 127.0.0.1 port with a throw-away DATA_DIR,
signs a user up, adds funnels up to 20 (`--funnels`), posts one spending and copies it with
sqlite3 into 1 000 000 (`--spendings`) over 5 years, starts the server once on that database
and stops it: an existing, migrated database. A second data folder gets an empty database (the
server started once on it): the reference, the same binary with nothing to open.

Then, in rounds, for each binary and each database: one cold start (the page cache dropped
first: `/proc/sys/vm/drop_caches` when it can be written, which needs root and a kernel of our
own, else POSIX_FADV_DONTNEED on the binary and the database files) and `--warm` warm starts
(everything still cached from the start before). A start is: exec the binary, connect to its
port every millisecond, send GET /ping on the first connection accepted, stop the clock at
its 200; then SIGTERM and wait for the exit (not timed). It prints median and max of each,
the ratio of the big database's start to the empty one's (the floor of the same binary), and
the resident bytes of the database file before each cold start (fincore, where installed).

With --baseline-bin, a second binary (one built before a change) gets the same data and the
same starts, interleaved with the first's.

Target (issue 11): first /ping answered < 200 ms after exec, with an existing 1 000 000-spending
database.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import (  # noqa: E402  (puts tools/ on the path)
    add_common_args, log, parse, print_head, run_guarded, seed_household, side_by_side, stop_after, summary, write_results,
)
from stracker_harness import Server  # noqa: E402

TARGET_MS = 200
PING = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


class Subject:
    """One binary on one database: its server and its start times (ms)."""

    def __init__(self, label, server, database="big"):
        self.label, self.server, self.database = label, server, database
        self.times = {"cold": [], "warm": []}
        self.resident = []

    @property
    def name(self):
        return f"{self.label}/{self.database}"

    def files(self):
        folder = Path(self.server.data_dir)
        return [self.server.binary] + [p for p in folder.glob("stracker.sqlite*") if p.is_file()]


def first_ping_ms(server, timeout=60):
    """Execs the server and returns the milliseconds until its first GET /ping answered 200."""
    started = time.perf_counter()
    server.launch()
    while True:
        elapsed = time.perf_counter() - started
        if elapsed > timeout:
            raise RuntimeError(f"no answer to /ping {timeout} s after exec:\n{server.log_tail()}")
        if server.process.poll() is not None:
            raise RuntimeError(f"stracker exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                sock.sendall(PING)
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
                    if b"\r\n\r\n" in answer and b"pong" in answer:
                        break
            if answer.startswith(b"HTTP/1.1 200"):
                return (time.perf_counter() - started) * 1000
        except (ConnectionRefusedError, ConnectionResetError):
            pass
        time.sleep(0.001)


def drop_page_cache(method, files):
    """Drops what the page cache holds: all of it (drop_caches) or the given files' pages (fadvise).
    Returns the method used ("auto": drop_caches if it can be written, else fadvise)."""
    os.sync()
    if method in ("auto", "drop_caches"):
        try:
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
            return "drop_caches"
        except OSError:
            if method == "drop_caches":
                raise
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return "fadvise"


def resident_bytes(path):
    """How much of the file the page cache holds (fincore), or None without fincore."""
    if not shutil.which("fincore"):
        return None
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                         capture_output=True, text=True, timeout=30)
    return int(out.stdout.split()[0]) if out.returncode == 0 and out.stdout.strip() else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spendings", type=int, default=1_000_000, help="spendings in the big database")
    ap.add_argument("--funnels", type=int, default=20)
    ap.add_argument("--years", type=float, default=5)
    ap.add_argument("--rounds", type=int, default=3, help="rounds; each has one cold start per binary and database")
    ap.add_argument("--warm", type=int, default=3, help="warm starts per round, binary and database")
    ap.add_argument("--cold-method", choices=["auto", "drop_caches", "fadvise", "none"], default="auto",
                    help="how the page cache is dropped before a cold start (none: no cold starts)")
    add_common_args(ap, time_limit=1200)
    args = parse(ap, {"spendings": 20_000, "rounds": 1, "warm": 2})

    stop_after(args.time_limit)
    work, big = side_by_side(args, "stracker-bench-start-", Subject)
    subjects = []
    for s in big:
        folder = Path(s.server.data_dir).parent / f"{s.label}-empty"
        folder.mkdir()
        subjects += [s, Subject(s.label, Server(folder, binary=s.server.binary, ACCESS_TTL="3600"), "empty")]
    methods = set()

    def measure_all():
        for s in subjects:
            if s.database == "big":
                seed_household(s.server, s.label, args.spendings, args.funnels, args.years, start_timeout=300)
            else:
                s.server.start()
            s.server.stop()
        log(f"databases ready: {', '.join(f'{s.name} {sum(p.stat().st_size for p in s.files()[1:]) / 2**20:.0f} MiB' for s in subjects)}")
        for round_no in range(1, args.rounds + 1):
            for s in subjects:
                if args.cold_method != "none":
                    methods.add(drop_page_cache(args.cold_method, s.files()))
                    s.resident.append(resident_bytes(s.files()[1]))
                    s.times["cold"].append(first_ping_ms(s.server))
                    s.server.stop()
                for _ in range(args.warm):
                    s.times["warm"].append(first_ping_ms(s.server))
                    s.server.stop()
                cold = f"cold {s.times['cold'][-1]:.0f} ms, " if s.times["cold"] else ""
                log(f"round {round_no}/{args.rounds} {s.name}: {cold}warm "
                    f"{', '.join(f'{t:.0f}' for t in s.times['warm'][-args.warm:])} ms")
        return report(subjects, args, methods)

    return run_guarded("bench/cold_start.py", subjects, work, args.keep, measure_all)


def report(subjects, args, methods):
    print_head(f"exec to the first GET /ping answered; big = {args.spendings} spendings in {args.funnels} funnels, "
               f"empty = a new database; page cache dropped by {', '.join(sorted(methods)) or 'nothing'} before a cold start",
               f"{'binary':<10}{'database':<10}{'cold median':>13}{'cold max':>10}{'warm median':>13}{'warm max':>10}"
               f"{'big/empty cold':>16}{'big/empty warm':>16}")
    stats = {s.name: {k: summary(v) for k, v in s.times.items() if v} for s in subjects}
    for s in subjects:
        mine, empty = stats[s.name], stats[f"{s.label}/empty"]
        cells = []
        for kind in ("cold", "warm"):
            cells += [f"{mine[kind]['median']:>10.1f} ms", f"{mine[kind]['max']:>7.1f} ms"] if kind in mine else [f"{'-':>13}", f"{'-':>10}"]
        ratios = [f"{mine[k]['median'] / empty[k]['median']:>16.2f}" if k in mine else f"{'-':>16}" for k in ("cold", "warm")]
        print(f"{s.label:<10}{s.database:<10}{''.join(cells)}{''.join(ratios)}")
    resident = [r for s in subjects for r in s.resident if r is not None]
    if resident:
        print(f"database file resident in the page cache before a cold start: at most {max(resident) / 2**20:.1f} MiB")
    if len([s for s in subjects if s.database == "big"]) == 2:
        current, baseline = (statistics.median(s.times["warm"]) for s in subjects if s.database == "big")
        print(f"baseline/current warm start, big database = {baseline / current:.2f}x")
    mine = stats[subjects[0].name]
    worst = max(mine[k]["max"] for k in mine)
    print(f"HEADLINE first /ping after exec with {args.spendings} spendings: warm median {mine['warm']['median']:.1f} ms"
          + (f", cold median {mine['cold']['median']:.1f} ms" if "cold" in mine else "")
          + f", max {worst:.1f} ms (target < {TARGET_MS} ms): {'MET' if worst < TARGET_MS else 'NOT MET'}")
    write_results("cold_start", args, [s for s in subjects if s.database == "big"], cold_method=sorted(methods),
                  stats=stats, times={s.name: s.times for s in subjects},
                  resident_db_bytes={s.name: s.resident for s in subjects})
    return 0


if __name__ == "__main__":
    sys.exit(main())
