#!/usr/bin/env python3
"""bench/spending_list.py: what does one GET /spending/ of 5 000 rows cost the server?

Starts the release binary (STRACKER_BIN) on a free 127.0.0.1 port with a throw-away DATA_DIR,
signs a user up, posts one spending through the API and copies it with sqlite3 (the harness's
clone_spendings_sqlite) into 20 000 (`--spendings`): 5 000 (`--period-rows`) in the last hour,
so in this period's default answer, the rest spread over the two years before. Then, on the same
server, alternating in rounds:

- "alone": `--requests` requests one after another on one kept-alive http.client connection,
  for GET /ping and for GET /spending/ (the default answer: this period so far, 5 000 rows); per
  request the client's wall time to the last byte (median, p90) and the server's CPU time
  (schedstat of all its threads);
- "loaded": wrk -t2 -c32 on both routes (req/s, p50, p99) and the ratio list/ping;
- then the server under callgrind: instructions per GET of each route (`--callgrind`), the
  steady figure on a shared machine.

With --baseline-bin, a second binary (one built before a change) gets the same data and the same
runs, interleaved with the first's.

Target (issue 11): one request alone <= 5 ms for 5 000 rows (<= 1 us a row of server CPU).
"""

import argparse
import statistics
import sys

from benchlib import (  # noqa: E402  (puts tools/ on the path)
    REPO, Callgrind, Http, add_common_args, dump_path, fmt_ms, log, measure, print_head, run_guarded, seed_household,
    side_by_side, stop_after, timed_get,
)

TARGET_MS = 5.0


class Subject:
    """One binary under test with its own copy of the data."""

    def __init__(self, label, server):
        self.label = label
        self.server = server
        self.alone = {"ping": [], "list": []}
        self.loaded = {"ping": [], "list": []}
        self.instructions = {"ping": [], "list": []}

    def seed(self, args):
        household = seed_household(self.server, self.label, args.spendings, recent=args.period_rows, years=2, gap_days=40)
        self.token = household.token
        self.client = Http(self.server.url, self.token)
        listed = self.client.json("GET", "/spending/")
        self.rows = len(listed)
        if self.rows != args.period_rows:
            raise RuntimeError(f"{self.label}: GET /spending/ listed {self.rows} rows, expected {args.period_rows}")

    def run_alone(self, name, count, keep=True):
        """`count` GETs one after another on one kept-alive http.client connection: the client's
        wall time to the last byte, and the server's CPU (all threads) per request."""
        path = "/ping" if name == "ping" else "/spending/"
        times, cpus = [], []
        for _ in range(count):
            _content, wall, cpu = timed_get(self.client, self.server.pid, path)
            times.append(wall)
            cpus.append(cpu)
        result = {"median_ms": statistics.median(times), "p90_ms": sorted(times)[int(0.9 * (count - 1))],
                  "cpu_ms": sum(cpus) / count}
        if keep:
            self.alone[name].append(result)
        return result

    def run_callgrind(self, work, count):
        """Instructions per GET under callgrind, `count` of each kind; the last dumps are kept."""
        with Callgrind(self.server, work / self.label / "callgrind") as cg:
            self.client.close()
            for name, path in (("ping", "/ping"), ("list", "/spending/")):
                self.client.request("GET", path)
                for _ in range(count):
                    self.instructions[name].append(cg.count(
                        lambda p=path: self.client.request("GET", p),
                        keep_as=dump_path("spending_list", self.label, name)))
            self.client.close()
        log(f"{self.label} under callgrind: GET /spending/ {statistics.median(self.instructions['list']) / 1e6:.2f} M "
            f"instructions, /ping {statistics.median(self.instructions['ping']) / 1e6:.2f} M (medians of {count}); "
            f"callgrind_annotate {dump_path('spending_list', self.label, 'list').relative_to(REPO)}")

    def run_loaded(self, name, args):
        url = self.server.url + ("/ping" if name == "ping" else "/spending/")
        r = measure(self.server.pid, url, self.token, 2, args.connections, args.duration)
        self.loaded[name].append(r)
        return r


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spendings", type=int, default=20_000)
    ap.add_argument("--period-rows", type=int, default=5_000, help="spendings in this period (the default answer)")
    ap.add_argument("--requests", type=int, default=40, help="requests of each 'alone' run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32, help="wrk connections of the loaded runs (0: none)")
    ap.add_argument("--duration", type=int, default=5, help="seconds of each loaded wrk run")
    ap.add_argument("--callgrind", type=int, default=5, help="GETs of each kind counted under callgrind (0: none)")
    add_common_args(ap, time_limit=900)
    args = ap.parse_args()

    stop_after(args.time_limit)
    work, subjects = side_by_side(args, "stracker-bench-list-", Subject)

    def measure_all():
        for s in subjects:
            s.seed(args)
            log(f"{s.label}: {s.server.binary} on {s.server.url}, {s.rows} rows in the default answer")
            s.run_alone("list", 5, keep=False)  # warm-up: SQLite's page cache and the server's code paths
        for round_no in range(1, args.rounds + 1):
            for s in subjects:
                for name in ("ping", "list"):
                    r = s.run_alone(name, args.requests)
                    log(f"round {round_no} {s.label} {name} alone: median {r['median_ms']:.2f} ms, "
                        f"p90 {r['p90_ms']:.2f} ms, server CPU {r['cpu_ms']:.2f} ms/req")
                if args.connections:
                    for name in ("ping", "list"):
                        r = s.run_loaded(name, args)
                        log(f"round {round_no} {s.label} {name} loaded: {r['rps']:.0f} req/s, p50 {fmt_ms(r['p50_us'])}, "
                            f"p99 {fmt_ms(r['p99_us'])}, errors {r['errors']}")
        if args.callgrind:
            for s in subjects:
                s.run_callgrind(work, args.callgrind)
        return report(subjects, args)

    return run_guarded("bench/spending_list.py", subjects, work, args.keep, measure_all)


def report(subjects, args):
    print_head(f"GET /spending/, default answer of {args.period_rows} rows ({args.spendings} stored); "
               f"{args.rounds} rounds, medians; alone = {args.requests} requests one after another",
               f"{'binary':<10}{'route':<16}{'alone':>10}{'p90':>10}{'CPU/req':>10}{'CPU/row':>10}{'ratio/ping':>12}"
               f"{'req/s':>9}{'p99':>11}{'instr':>10}{'instr/row':>11}")
    for s in subjects:
        for name, label in (("ping", "GET /ping"), ("list", "GET /spending/")):
            alone = s.alone[name]
            cpu = med(alone, "cpu_ms")
            per_row = f"{cpu * 1000 / s.rows:.2f}us" if name == "list" else ""
            ratio = med(s.alone["ping"], "cpu_ms") / cpu if cpu else float("nan")
            loaded = s.loaded[name]
            rps = f"{med(loaded, 'rps'):.0f}" if loaded else "-"
            p99 = fmt_ms(med(loaded, "p99_us")) if loaded else "-"
            counted = s.instructions[name]
            instr = f"{statistics.median(counted) / 1e6:.2f}M" if counted else "-"
            instr_row = f"{statistics.median(counted) / s.rows:.0f}" if counted and name == "list" else ""
            print(f"{s.label:<10}{label:<16}{med(alone, 'median_ms'):>8.2f}ms{med(alone, 'p90_ms'):>8.2f}ms"
                  f"{cpu:>8.2f}ms{per_row:>10}{ratio:>12.4f}{rps:>9}{p99:>11}{instr:>10}{instr_row:>11}")
    if len(subjects) == 2:
        current, baseline = (med(s.alone["list"], "median_ms") for s in subjects)
        print(f"baseline/current one GET /spending/ alone = {baseline / current:.1f}x")
    alone = med(subjects[0].alone["list"], "median_ms")
    per_row = med(subjects[0].alone["list"], "cpu_ms") * 1000 / subjects[0].rows
    met = alone <= TARGET_MS and per_row <= 1.0
    print(f"HEADLINE one GET /spending/ of {subjects[0].rows} rows alone: {alone:.2f} ms (target <= {TARGET_MS:g} ms), "
          f"{per_row:.2f} us of server CPU a row (target <= 1): {'MET' if met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
