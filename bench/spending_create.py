#!/usr/bin/env python3
"""bench/spending_create.py: how many spendings a second can the server make durable?

Starts the release binary (STRACKER_BIN) on a free 127.0.0.1 port with a throw-away DATA_DIR,
signs a user up, and measures with wrk (-t2 -c32 by default), in alternating rounds on the same
server: GET /ping (the floor) and POST /spending/ (a new spending per request, the server
stamps its id and time). Every spending answered 201 is committed with synchronous=FULL; the
server's group commit lets the writes waiting at one moment share one sync of the log, and its
/metrics tell how many shared each (`database_group_commit_writes_total` over
`database_group_commits_total`).

With --baseline-bin, a second binary (say, one built before a change) is measured the same way
in the same run, its rounds interleaved with the first's, so the two are compared on the same
machine at the same moment.

Target (issue 11): POST /spending/ >= 2 000 req/s with a p99 < 20 ms. After the runs, the
spendings in the database are counted: at least every 201 must be there.
"""

import argparse
import sqlite3
import statistics
import sys

import requests

from benchlib import add_common_args, fmt_ms, log, measure, print_head, run_guarded, side_by_side, stop_after, wrk  # noqa: E402  (puts tools/ on the path)
from stracker_harness import register_user, rss_kib  # noqa: E402

TARGET_RPS = 2000
TARGET_P99_MS = 20


def metric(url, name):
    """A counter from /metrics (0 when the server does not have it)."""
    for line in requests.get(url + "/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


class Subject:
    """One binary under test: its server, a signed-up user, and its runs."""

    def __init__(self, label, server):
        self.label = label
        self.server = server
        self.runs = {"ping": [], "post": []}
        self.rss = {}

    def start(self):
        self.server.start()
        self.rss["idle"] = rss_kib(self.server.pid)
        _secret, pair = register_user(self.server.url, f"bench-{self.label}")
        self.token = pair["access"]
        headers = {"Authorization": f"Bearer {self.token}"}
        funnel = requests.get(self.server.url + "/funnel/", headers=headers, timeout=10).json()[0]
        self.body = f'{{"amount": 12.5, "funnel_id": "{funnel["id"]}", "note": "bench"}}'
        self.commits_before = metric(self.server.url, "database_group_commits_total")
        self.writes_before = metric(self.server.url, "database_group_commit_writes_total")

    def run(self, name, args, seconds=None):
        url = self.server.url + ("/ping" if name == "ping" else "/spending/")
        body = self.body if name == "post" else None
        if seconds is not None:  # a warm-up: not measured
            return wrk(url, self.token, args.threads, args.connections, seconds, body=body)
        r = measure(self.server.pid, url, self.token, args.threads, args.connections, args.duration, body=body)
        self.runs[name].append(r)
        return r

    def finish(self):
        self.rss["after"] = rss_kib(self.server.pid)
        commits = metric(self.server.url, "database_group_commits_total") - self.commits_before
        writes = metric(self.server.url, "database_group_commit_writes_total") - self.writes_before
        self.writes_per_commit = writes / commits if commits else None
        self.server.stop()
        db = sqlite3.connect(f"file:{self.server.data_dir}/stracker.sqlite?mode=ro", uri=True)
        try:
            self.stored = db.execute("SELECT COUNT(*) FROM spending").fetchone()[0]
        finally:
            db.close()

    def acknowledged(self, warmups):
        """Spendings answered 201: every POST wrk counted, less those it counted as errors."""
        return sum(r["requests"] - errors(r) for r in self.runs["post"] + warmups)


def errors(r):
    """What wrk counted as failed in one run (a warm-up's result has no "errors" total)."""
    return sum(r[k] for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=5, help="seconds of each measured wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="measured runs per route and binary")
    ap.add_argument("--warmup", type=int, default=2, help="seconds of each route's warm-up")
    add_common_args(ap, time_limit=600)
    args = ap.parse_args()

    stop_after(args.time_limit)
    work, subjects = side_by_side(args, "stracker-bench-create-", Subject)
    warmups = {s.label: [] for s in subjects}

    def measure_all():
        for s in subjects:
            s.start()
            log(f"{s.label}: {s.server.binary} on {s.server.url}, VmRSS {s.rss['idle'] / 1024:.1f} MiB")
        for s in subjects:
            s.run("ping", args, seconds=args.warmup)
            warmups[s.label].append(s.run("post", args, seconds=args.warmup))
        for round_no in range(1, args.rounds + 1):
            for s in subjects:
                for name in ("ping", "post"):
                    r = s.run(name, args)
                    log(f"round {round_no}/{args.rounds} {s.label} {name}: {r['rps']:.0f} req/s, p50 {fmt_ms(r['p50_us'])}, "
                        f"p99 {fmt_ms(r['p99_us'])}, {r['server_cpu_us_per_req']:.0f} us CPU/req, "
                        f"other processes {r['other_cores']:.2f} cores, errors {r['errors']}")
        for s in subjects:
            s.finish()
        return report(subjects, warmups, args)

    return run_guarded("bench/spending_create.py", subjects, work, args.keep, measure_all)


def report(subjects, warmups, args):
    print_head(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds, medians; "
               f"POST /spending/ durable (synchronous=FULL)",
               f"{'binary':<10}{'route':<18}{'req/s':>9}{'p50':>10}{'p99':>11}{'ratio/ping':>12}{'CPU/req':>10}{'errors':>8}")
    failed = False
    for s in subjects:
        ratios = [post["rps"] / ping["rps"] for post, ping in zip(s.runs["post"], s.runs["ping"])]
        for name, label in (("ping", "GET /ping"), ("post", "POST /spending/")):
            runs = s.runs[name]
            ratio = 1.0 if name == "ping" else statistics.median(ratios)
            print(f"{s.label:<10}{label:<18}{median(runs, 'rps'):>9.0f}{fmt_ms(median(runs, 'p50_us')):>10}"
                  f"{fmt_ms(median(runs, 'p99_us')):>11}{ratio:>12.3f}{median(runs, 'server_cpu_us_per_req'):>8.0f}us"
                  f"{sum(r['errors'] for r in runs):>8}")
        acknowledged = s.acknowledged(warmups[s.label])
        per_commit = f"{s.writes_per_commit:.1f}" if s.writes_per_commit else "n/a (no group commit metrics)"
        print(f"{'':<10}writes per commit {per_commit}; spendings answered 201: {acknowledged}, stored: {s.stored}; "
              f"VmRSS {s.rss['idle'] / 1024:.1f} MiB idle, {s.rss['after'] / 1024:.1f} MiB after")
        if s.stored < acknowledged:
            print(f"FAILED: {s.label} stored fewer spendings than it acknowledged")
            failed = True
    if len(subjects) == 2:
        current, baseline = (median(s.runs["post"], "rps") for s in subjects)
        print(f"current/baseline POST /spending/ req/s = {current / baseline:.2f}")
    post = subjects[0].runs["post"]
    rps, p99 = median(post, "rps"), median(post, "p99_us") / 1000
    met = rps >= TARGET_RPS and p99 < TARGET_P99_MS
    print(f"HEADLINE POST /spending/ {rps:.0f} req/s (target >= {TARGET_RPS}), p99 {p99:.2f} ms "
          f"(target < {TARGET_P99_MS} ms): {'MET' if met else 'NOT MET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
