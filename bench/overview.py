#!/usr/bin/env python3
"""bench/overview.py: how fast is the main screen next to a route that does nothing?

Starts the release binary on a free 127.0.0.1 port with a throw-away DATA_DIR, registers a
user through the API (a household with the 2 default funnels), adds funnels up to 10, seeds
100 000 spendings over 5 years (--spendings, --years), then measures with wrk, on the same
server in the same run: GET /ping, GET /user/decode (diagnostic: authentication alone),
GET /overview, GET /funnel/ and GET /spending/ (this period up to now). Prints req/s, p50,
p99 and the ratio of each route's req/s to /ping's; the figure that counts is overview/ping
(target >= 0.5 with an overview p99 < 5 ms). See bench/README.md.

Everything is bounded in time, and the server and the temporary folder are removed on every
exit path (errors, Ctrl-C, SIGTERM, the global time limit). Starting the server and signing up
go through tools/stracker_harness.py, shared with the e2e tests.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import requests

from benchlib import BENCH_DIR, REPO, WRK_TIMEOUT, fmt_ms, make_rows, wrk  # noqa: E402  (puts tools/ on the path)
from benchlib import log as bench_log  # noqa: E402
from benchlib import measure as measure_run  # noqa: E402
from stracker_harness import (  # noqa: E402
    Abort, Server, binary_path, clone_spendings_sqlite, on_signal, register_user, report_failure, rss_kib, wind_down,
)

HTTP_TIMEOUT = 15  # seconds, every single API call of the setup

EXTRA_FUNNELS = [  # (name, limit, color, emoji, shared): 8 more after the 2 defaults
    ("Rent", 1200, "#4682b4", "🏠", True),
    ("Transport", 300, "teal", "🚌", True),
    ("Kids", 400, "#ff69b4", "🧸", True),
    ("Health", 150, "#2e8b57", "💊", True),
    ("Fun", 250, "gold", "🎉", True),
    ("Utilities", 350, "#708090", "💡", True),
    ("Coffee", 60, "#8b4513", "☕", False),
    ("Books", 80, "#6a5acd", "📚", False),
]
# Frames worth seeing in a profile: our code and the costs it decides on.
FRAMES_OF_INTEREST = ("Authenticator", "Controller", "OverviewCache", "MemberView", "JSONBody", "JSONEncoder.encode<",
                      "trimmingCharacters", "Store.", "sqlite3_step", "Decimal._toString", "TokenService",
                      "VerifiedTokens", "JWTSigner.verify", "RowDecoder", "__GI___writev")


class Client:
    """The API as a user: one keep-alive session, tokens kept fresh through /user/refresh."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.access = self.refresh_token = None

    def call(self, method, path, expect, auth=True, **kwargs):
        headers = kwargs.pop("headers", {})
        if auth:
            headers["Authorization"] = f"Bearer {self.access}"
        r = self.http.request(method, self.base + path, headers=headers, timeout=HTTP_TIMEOUT, **kwargs)
        if r.status_code != expect:
            raise RuntimeError(f"{method} {path}: expected {expect}, got {r.status_code}: {r.text[:300]}")
        return r.json() if r.content else None

    def register(self, username):
        _secret, pair = register_user(self.base, username, http=self.http, timeout=HTTP_TIMEOUT)
        self.access, self.refresh_token = pair["access"], pair["refresh"]

    def refresh(self):
        pair = self.call("POST", "/user/refresh", 200, auth=False, json={"refresh": self.refresh_token})
        self.access, self.refresh_token = pair["access"], pair["refresh"]
        return self.access


def seed_api(client, rows, workers):
    """POST /spending/ with the rows' ids and timestamps, over `workers` keep-alive sessions at once."""
    local = threading.local()

    def post(row):
        if not hasattr(local, "http"):
            local.http = requests.Session()
        body = {"id": row["id"], "funnel_id": row["funnel_id"], "amount": float(Decimal(row["amount_minor"]) / 100),
                "timestamp": row["timestamp"], "note": row["note"]}
        r = local.http.post(client.base + "/spending/", json=body, timeout=HTTP_TIMEOUT,
                            headers={"Authorization": f"Bearer {client.access}"})
        if r.status_code != 201:
            raise RuntimeError(f"POST /spending/: expected 201, got {r.status_code}: {r.text[:300]}")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(post, rows):
            pass


def minor(amount):
    return int(Decimal(str(amount)) * 100)


def check_data(client, rows, years):
    """What the server shows agrees with what was seeded: every funnel's `spent` in /overview and
    in each period of /history equals the sum of the seeded rows, and /spending/ lists exactly the
    rows of this period so far."""
    ov = client.call("GET", "/overview", 200)
    start, end = ov["period"]["start"], ov["period"]["end"]

    def spent(funnel_id, frm, to):
        return sum(r["amount_minor"] for r in rows if r["funnel_id"] == funnel_id and frm <= r["timestamp"] < to)

    for f in ov["funnels"]:
        if minor(f["spent"]) != spent(f["id"], start, end):
            raise RuntimeError(f"overview spent {f['spent']} for {f['name']} but the seeded rows sum to "
                               f"{spent(f['id'], start, end)} minor units")
    history = client.call("GET", "/history", 200, params={"periods": min(60, int(years * 12) + 1)})
    for period in history["periods"]:
        for f in period["funnels"]:
            if minor(f["spent"]) != spent(f["id"], period["start"], period["end"]):
                raise RuntimeError(f"/history spent {f['spent']} in funnel {f['id']} for the period from "
                                   f"{period['start']}; the seeded rows sum to {spent(f['id'], period['start'], period['end'])}")
    listed = client.call("GET", "/spending/", 200)
    now_ms = int(time.time() * 1000)
    in_period = sum(1 for r in rows if start <= r["timestamp"] <= now_ms)
    if len(listed) != in_period:
        raise RuntimeError(f"GET /spending/ listed {len(listed)} rows, {in_period} of the seeded ones are in this period")
    if len(ov["funnels"]) != 10 or len(ov["recent"]) != min(20, len(rows)):
        raise RuntimeError(f"overview has {len(ov['funnels'])} funnels and {len(ov['recent'])} recent spendings")
    return {"period_start": start, "period_end": end, "rows_total": len(rows), "rows_this_period": in_period,
            "history_periods_checked": len(history["periods"]),
            "overview_bytes": len(json.dumps(ov)), "spending_list_rows": len(listed)}


def log(message):
    bench_log(message)


def measure(server, url, token, args):
    return measure_run(server.pid, url, token, args.threads, args.connections, args.duration)


def profile(server, work, name, url, token, args):
    """One more wrk run on `url` while perf samples the server; prints and keeps the top symbols
    (with --call-graph: inclusive time, so handlers, the JSON encoder or the authenticator show
    with everything they call). The figures of this run are not reported: perf costs CPU too."""
    data = work / f"perf-{name}.data"
    record = ["perf", "record", "-q", "-F", "999", "-p", str(server.pid), "-o", str(data)]
    if args.call_graph:
        record += ["--call-graph", "dwarf,16384"]
    perf = subprocess.Popen(record + ["--", "sleep", str(args.duration)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wrk(url, token, args.threads, args.connections, args.duration, WRK_TIMEOUT)
        perf.wait(timeout=args.duration + 60)
    finally:
        if perf.poll() is None:
            perf.kill()
            perf.wait(timeout=5)
    base = ["perf", "report", "-i", str(data), "--stdio", "-g", "none"]
    by_dso = subprocess.run(base + ["--no-children", "--sort", "dso", "--percent-limit", "0.5"],
                            capture_output=True, text=True, timeout=300).stdout
    if args.call_graph:
        symbols = base + ["--children", "--sort", "symbol", "--percent-limit", "1"]
    else:
        symbols = base + ["--no-children", "--sort", "dso,symbol", "--percent-limit", "0.3"]
    text = by_dso + "\n" + subprocess.run(symbols, capture_output=True, text=True, timeout=600).stdout
    if shutil.which("swift-demangle"):
        text = subprocess.run(["swift-demangle", "--simplified"], input=text, capture_output=True, text=True,
                              timeout=120).stdout or text
    out_dir = BENCH_DIR / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"perf-{name}-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.txt"
    out.write_text(text)
    lines = [l.rstrip(" -") for l in text.splitlines() if l.strip() and not l.startswith("#")]
    print(f"\nperf, GET {url.split(str(server.port), 1)[1]} (full report {out.relative_to(REPO)}):")
    print("\n".join(l[:160] for l in lines[:25]))
    if args.call_graph:
        ours = [l for l in lines if any(k in l for k in FRAMES_OF_INTEREST)]
        print("  ... selected frames (inclusive):")
        print("\n".join(l[:160] for l in ours[:30]))


def summarize(runs, ping_runs):
    """Medians over the rounds; ratios to /ping per round (the runs next to each other), then their median."""
    med = statistics.median
    cpu_per_req = sum(r["server_cpu_s"] for r in runs) / max(sum(r["requests"] for r in runs), 1) * 1e6
    ping_cpu = sum(r["server_cpu_s"] for r in ping_runs) / max(sum(r["requests"] for r in ping_runs), 1) * 1e6
    return {
        "rps": med(r["rps"] for r in runs),
        "p50_us": med(r["p50_us"] for r in runs),
        "p99_us": med(r["p99_us"] for r in runs),
        "p99_us_max": max(r["p99_us"] for r in runs),
        "ratio_to_ping": med(r["rps"] / p["rps"] for r, p in zip(runs, ping_runs)),
        "server_cpu_us_per_req": cpu_per_req,
        "cpu_ratio_to_ping": ping_cpu / cpu_per_req,
        "other_cores_max": max(r["other_cores"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spendings", type=int, default=100_000, help="how many spendings to seed (the data size)")
    ap.add_argument("--years", type=float, default=5, help="spread over this many years up to now")
    ap.add_argument("--seed-mode", choices=["auto", "api", "sqlite"], default="auto",
                    help="auto: POST a probe through the API and continue there only if the rest "
                         "would take less than --api-budget seconds, else copy the first API-written "
                         "spending with sqlite3 (tools/stracker_harness.py: clone_spendings_sqlite); "
                         "sqlite: POST one, copy it for the rest")
    ap.add_argument("--probe", type=int, default=2000, help="spendings POSTed through the API first (auto mode)")
    ap.add_argument("--api-budget", type=float, default=90, help="seconds the API may take for the rest")
    ap.add_argument("--seed-workers", type=int, default=4, help="concurrent POST /spending/ sessions while seeding")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=5, help="seconds of each measured wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="measured runs per route, interleaved with the others")
    ap.add_argument("--warmup", type=int, default=2, help="seconds of the wrk warm-up of each route")
    ap.add_argument("--routes", default="ping,decode,overview,funnel,spending",
                    help="comma-separated subset of ping,decode,overview,funnel,spending")
    ap.add_argument("--seed", type=int, default=20240601, help="random seed of the generated spendings")
    ap.add_argument("--time-limit", type=int, default=900, help="seconds before the whole run is aborted")
    ap.add_argument("--keep", action="store_true", help="keep the temporary DATA_DIR and server log")
    ap.add_argument("--no-json", action="store_true", help="do not write bench/results/*.json")
    ap.add_argument("--profile", default="",
                    help="comma-separated routes to profile with perf after the table (one extra wrk run "
                         "each under `perf record`); reports go to bench/results/")
    ap.add_argument("--call-graph", action="store_true", help="with --profile: record call graphs (dwarf)")
    args = ap.parse_args()

    if args.rounds < 1 or args.duration < 1 or args.warmup < 0 or args.threads < 1 or args.connections < args.threads:
        sys.exit("need --rounds >= 1, --duration >= 1, --warmup >= 0 and --connections >= --threads >= 1")
    if args.spendings < 1 or args.seed_workers < 1 or args.probe < 1:
        sys.exit("need --spendings >= 1, --probe >= 1 and --seed-workers >= 1")
    try:
        binary = binary_path(allow_debug=False)  # STRACKER_BIN, else .build/release/stracker
    except RuntimeError as e:
        sys.exit(str(e))
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install -y wrk)")
    routes = {
        "ping": ("/ping", False),
        "decode": ("/user/decode", True),
        "overview": ("/overview", True),
        "funnel": ("/funnel/", True),
        "spending": ("/spending/", True),
    }
    chosen = [r.strip() for r in args.routes.split(",") if r.strip()]
    if "ping" not in chosen or any(r not in routes for r in chosen):
        sys.exit(f"--routes must include ping and be a subset of {','.join(routes)}")
    profiled = [r.strip() for r in args.profile.split(",") if r.strip()]
    if any(r not in routes for r in profiled):
        sys.exit(f"--profile must be a subset of {','.join(routes)}")
    if profiled and shutil.which("perf") is None:
        sys.exit("--profile needs perf (apt-get install -y linux-perf)")

    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, on_signal)
    signal.alarm(args.time_limit)

    work = Path(tempfile.mkdtemp(prefix="stracker-bench-"))
    data_dir = work / "data"
    data_dir.mkdir()
    db_path = data_dir / "stracker.sqlite"
    # cwd = the temp folder: the server reads .env from its working directory, and a developer's
    # .env must not change what we measure.
    server = Server(data_dir, binary=binary, cwd=work, own_session=True, ACCESS_TTL="3600")
    report = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "command": " ".join([sys.argv[0]] + sys.argv[1:]), "binary": str(binary),
              "host": socket.gethostname(), "cpus": os.cpu_count(),
              "wrk": {"threads": args.threads, "connections": args.connections,
                      "duration_s": args.duration, "warmup_s": args.warmup, "rounds": args.rounds}}
    try:
        log(f"server {binary} on 127.0.0.1:{server.port}, DATA_DIR {data_dir}")
        server.start()
        client = Client(server.url)
        username = f"bench{uuid.uuid4().hex[:8]}"
        client.register(username)
        funnels = client.call("GET", "/funnel/", 200)
        for name, limit, color, emoji, shared in EXTRA_FUNNELS[: max(0, 10 - len(funnels))]:
            client.call("POST", "/funnel/", 201, json={"name": name, "limit": limit, "color": color,
                                                      "emoji": emoji, "shared": shared})
        funnel_ids = [f["id"] for f in client.call("GET", "/funnel/", 200)]
        if len(funnel_ids) != 10:
            raise RuntimeError(f"expected 10 funnels, have {len(funnel_ids)}")
        log(f"registered {username}; {len(funnel_ids)} funnels")

        now_ms = int(time.time() * 1000)
        rows = make_rows(args.spendings, funnel_ids, now_ms, args.years, seed=args.seed)
        seeding = {"mode": args.seed_mode}
        # At least one spending goes through the API: the template the SQLite path copies.
        api_rows = rows if args.seed_mode == "api" else rows[: args.probe] if args.seed_mode == "auto" else rows[:1]
        rest = rows[len(api_rows):]
        t0 = time.monotonic()
        seed_api(client, api_rows, args.seed_workers)
        took = time.monotonic() - t0
        rate = len(api_rows) / took
        seeding.update(api_rows=len(api_rows), api_seconds=round(took, 2), api_rate_per_s=round(rate, 1),
                       api_workers=args.seed_workers)
        log(f"POST /spending/ over {args.seed_workers} keep-alive session(s): {len(api_rows)} in {took:.1f} s = {rate:.0f}/s")
        if rest and args.seed_mode == "auto" and len(rest) / rate <= args.api_budget:
            log(f"API fast enough: posting the other {len(rest)} too (~{len(rest) / rate:.0f} s)")
            t0 = time.monotonic()
            seed_api(client, rest, args.seed_workers)
            seeding.update(api_rows=len(rows), api_seconds=round(seeding["api_seconds"] + time.monotonic() - t0, 2))
            rest = []
        elif rest and args.seed_mode == "auto":
            log(f"the other {len(rest)} would take ~{len(rest) / rate:.0f} s through the API "
                f"(> {args.api_budget:.0f} s): copying a posted spending with sqlite3")
        if rest:
            server.stop()
            t0 = time.monotonic()
            clone_spendings_sqlite(db_path, api_rows[0]["id"], rest)
            seeding.update(sqlite_rows=len(rest), sqlite_seconds=round(time.monotonic() - t0, 2))
            log(f"inserted {len(rest)} rows with sqlite3 in {seeding['sqlite_seconds']} s; restarting the server")
            server.start()
        report["seeding"] = seeding

        time.sleep(1)
        rss_idle = rss_kib(server.pid)
        log(f"server pid {server.pid}, idle VmRSS {rss_idle} KiB")
        client.refresh()
        check = check_data(client, rows, args.years)
        report["data"] = check
        log(f"data: {check['rows_total']} spendings, {check['rows_this_period']} in this period so far; the sums of "
            f"/overview and of {check['history_periods_checked']} periods of /history match the seeded rows")

        # Rounds: every route once per round, back to back, so that load from other processes
        # (a shared machine) hits all routes alike; each figure is the median over the rounds.
        urls = {name: server.url + routes[name][0] for name in chosen}
        for name in chosen:
            path, auth = routes[name]
            token = client.refresh() if auth else ""
            client.call("GET", path, 200, auth=auth)  # the route answers 200 with this token
            if args.warmup > 0:
                wrk(urls[name], token, args.threads, args.connections, args.warmup, WRK_TIMEOUT)
        runs = {name: [] for name in chosen}
        for round_no in range(1, args.rounds + 1):
            for name in chosen:
                path, auth = routes[name]
                token = client.refresh() if auth else ""
                r = measure(server, urls[name], token, args)
                runs[name].append(r)
                log(f"round {round_no}/{args.rounds} GET {path}: {r['rps']:.0f} req/s, p50 {fmt_ms(r['p50_us'])}, "
                    f"p99 {fmt_ms(r['p99_us'])}, server {r['server_cpu_us_per_req']:.0f} us CPU/req; cores: "
                    f"server {r['server_cores']:.2f}, wrk {r['wrk_cores']:.2f}, others {r['other_cores']:.2f}"
                    + (f", {r['errors']} ERRORS" if r["errors"] else ""))
        time.sleep(1)
        rss_after = rss_kib(server.pid)

        results = {name: summarize(runs[name], runs["ping"]) for name in chosen}
        print()
        print(f"STracker bench/overview.py  {report['date']}  {os.cpu_count()} CPUs  {args.rounds} round(s) of "
              f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s per route (after a {args.warmup}s warm-up)")
        print(f"data: {check['rows_total']} spendings over {args.years:g} years in 10 funnels, "
              f"{check['rows_this_period']} in this period so far (GET /spending/ lists them all)")
        print()
        print(f"{'route':<18}{'req/s':>9}{'p50':>10}{'p99':>11}{'ratio/ping':>12}"
              f"{'CPU/req':>10}{'CPU ratio':>11}{'others':>8}{'errors':>8}")
        print("-" * 97)
        for name, r in results.items():
            label = routes[name][0] + (" *" if name == "decode" else "")
            print(f"GET {label:<14}{r['rps']:>9.0f}{fmt_ms(r['p50_us']):>10}{fmt_ms(r['p99_us']):>11}"
                  f"{r['ratio_to_ping']:>12.2f}{r['server_cpu_us_per_req']:>8.0f}us"
                  f"{r['cpu_ratio_to_ping']:>11.2f}{r['other_cores_max']:>8.2f}{r['errors']:>8}")
        print("-" * 97)
        print("req/s, p50, p99: medians over the rounds; ratio/ping: median of the rounds' req/s ratios;\n"
              "CPU/req: server CPU time per request; CPU ratio: ping's CPU/req over the route's (steadier when\n"
              "other processes compete); others: most cores other processes used during one of the route's runs")
        if "decode" in results:
            print("* diagnostic: an authenticated route that does no work (token check + session check only)")
        verdict = None
        if "overview" in results:
            ov = results["overview"]
            ok = ov["ratio_to_ping"] >= 0.5 and ov["p99_us"] < 5000 and ov["errors"] == 0
            verdict = {"overview_over_ping": round(ov["ratio_to_ping"], 3),
                       "overview_over_ping_cpu": round(ov["cpu_ratio_to_ping"], 3),
                       "overview_p99_ms": round(ov["p99_us"] / 1000, 3), "target_met": ok}
            print(f"HEADLINE overview/ping = {ov['ratio_to_ping']:.2f} (target >= 0.50), overview p99 = "
                  f"{fmt_ms(ov['p99_us'])} (target < 5 ms): {'MET' if ok else 'NOT MET'}"
                  f"  [CPU-time ratio {ov['cpu_ratio_to_ping']:.2f}]")
        busiest = max(r["other_cores_max"] for r in results.values())
        if busiest > 0.25:
            print(f"WARNING: other processes used up to {busiest:.2f} of {os.cpu_count()} cores during the runs: "
                  "req/s and above all p99 are depressed and noisy; the CPU ratio is the steadier figure")
        print(f"server VmRSS: {rss_idle / 1024:.1f} MiB idle after start, {rss_after / 1024:.1f} MiB after the load")

        report.update(results={routes[n][0]: {**results[n], "runs": runs[n]} for n in chosen},
                      headline=verdict, rss_kib={"idle_after_start": rss_idle, "after_load": rss_after})
        if not args.no_json:
            out_dir = BENCH_DIR / "results"
            out_dir.mkdir(exist_ok=True)
            out = out_dir / f"overview-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
            out.write_text(json.dumps(report, indent=2) + "\n")
            print(f"results: {out.relative_to(REPO)}")
        for name in profiled:
            path, auth = routes[name]
            token = client.refresh() if auth else ""
            profile(server, work, name, server.url + path, token, args)
        return 0
    except (Exception, Abort, KeyboardInterrupt) as e:
        return report_failure("bench/overview.py", server, e)
    finally:
        wind_down(server, work, args.keep, log)


if __name__ == "__main__":
    sys.exit(main())
