#!/usr/bin/env python3
"""bench/memory.py: how much memory does the server hold idle, and at most under load?

Starts the release binary (STRACKER_BIN) on a free 127.0.0.1 port with a throw-away DATA_DIR,
signs a user up, posts one spending and copies it with sqlite3 into 20 000 (`--spendings`):
5 000 (`--period-rows`) in the last hour, so in this period's default answer of GET /spending/,
the rest over the two years before (as bench/spending_list.py). Restarted on that data (and
one GET /spending/ to check it), the server rests `--settle` seconds (22: a server gives memory
back after 10 to 20 s without a request), and its VmRSS is the idle figure. Then phases of wrk -t2 -c32
(`--duration` seconds each): GET /ping (the floor: what serving costs by itself), GET /spending/
(5 000 rows an answer), POST /spending/ (dated a year ago, so the list stays 5 000 rows),
GET /overview, and "mixed": the three at once (11 + 11 + 10 connections). Before each phase the
kernel's peak (VmHWM) is reset to the current RSS (`echo 5 > /proc/PID/clear_refs`), so each
phase's VmHWM is the most it held during that phase; the peak is the highest of them. It
prints VmRSS and VmHWM (with RssAnon and RssFile: heap against mapped files) in MiB and the
ratio of each to its target.

With --baseline-bin, a second binary (one built before a change) gets the same data and the same
phases, interleaved with the first's.

Target (issue 11): <= 25 MB idle, <= 64 MB peak under this load (taken as MiB here).
"""

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from benchlib import (  # noqa: E402  (puts tools/ on the path)
    add_common_args, log, measure, now_ms, parse, print_head, run_guarded, seed_household, side_by_side, stop_after, write_results,
)

IDLE_TARGET_MIB = 25
PEAK_TARGET_MIB = 64
FIELDS = ("VmRSS", "VmHWM", "RssAnon", "RssFile")


def status_kib(pid):
    """VmRSS, VmHWM, RssAnon and RssFile of the process, KiB (/proc/PID/status)."""
    found = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in FIELDS:
                found[key] = int(line.split()[1])
    return found


def mappings_kib(pid, top=6):
    """The largest resident parts of the address space, KiB: (RSS, "file perms") from
    /proc/PID/smaps, anonymous memory as "[anon] perms", the others by name ([heap], [stack])."""
    found, name = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and ":" not in fields[0]:
                name = f"{fields[5] if len(fields) > 5 else '[anon]'} {fields[1]}"
            elif fields[0] == "Rss:":
                found[name] = found.get(name, 0) + int(fields[1])
    return sorted(((kib, n) for n, kib in found.items()), reverse=True)[:top]


def reset_peak(pid):
    """VmHWM back to the current RSS; False where the kernel does not allow it."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5\n")
        return True
    except OSError:
        return False


class Subject:
    """One binary under test: its server, a seeded household, its memory after each phase."""

    def __init__(self, label, server):
        self.label, self.server = label, server
        self.phases = {}

    def seed(self, args):
        self.household = seed_household(self.server, self.label, args.spendings, recent=args.period_rows,
                                        years=2, gap_days=40)
        listed = len(self.household.client.json("GET", "/spending/"))
        self.household.client.close()
        if listed != args.period_rows:
            raise RuntimeError(f"{self.label}: GET /spending/ listed {listed} rows, expected {args.period_rows}")
        self.post = (f'{{"amount": 2.5, "funnel_id": "{self.household.funnel_ids[0]}", "note": "bench", '
                     f'"timestamp": {now_ms() - 365 * 86_400_000}}}')
        time.sleep(args.settle)
        self.phases["idle"] = {"status": status_kib(self.server.pid), "mappings": mappings_kib(self.server.pid)}

    def run(self, phase, jobs, args):
        """`jobs`: (path, body or None, threads, connections) run at the same time."""
        url, pid, token = self.server.url, self.server.pid, self.household.token
        resettable = reset_peak(pid)
        with ThreadPoolExecutor(len(jobs)) as pool:
            runs = list(pool.map(lambda j: measure(pid, url + j[0], token, j[2], j[3], args.duration, body=j[1]), jobs))
        self.phases[phase] = {"status": status_kib(pid), "peak_reset": resettable,
                              "rps": sum(r["rps"] for r in runs), "errors": sum(r["errors"] for r in runs),
                              "runs": runs}
        return self.phases[phase]


def mib(kib):
    return kib / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spendings", type=int, default=20_000)
    ap.add_argument("--period-rows", type=int, default=5_000, help="spendings in this period (the default list)")
    ap.add_argument("--duration", type=int, default=10, help="seconds of each phase")
    ap.add_argument("--settle", type=float, default=22,
                    help="seconds without a request before the idle and after figures (default 22: the server "
                         "gives memory back after 10 to 20 s of quiet)")
    add_common_args(ap, time_limit=900)
    args = parse(ap, {"spendings": 5_000, "period_rows": 1_000, "duration": 2, "settle": 2})

    stop_after(args.time_limit)
    work, subjects = side_by_side(args, "stracker-bench-memory-", Subject)

    def phases(s):
        return [("GET /ping", [("/ping", None, 2, 32)]),
                ("GET /spending/", [("/spending/", None, 2, 32)]),
                ("POST /spending/", [("/spending/", s.post, 2, 32)]),
                ("GET /overview", [("/overview", None, 2, 32)]),
                ("mixed", [("/spending/", None, 1, 11), ("/spending/", s.post, 1, 11), ("/overview", None, 1, 10)])]

    def measure_all():
        for s in subjects:
            s.seed(args)
            idle = s.phases["idle"]["status"]
            log(f"{s.label}: {s.server.binary} on {s.server.url}, idle VmRSS {mib(idle['VmRSS']):.1f} MiB")
        for index in range(len(phases(subjects[0]))):
            for s in subjects:
                phase, jobs = phases(s)[index]
                r = s.run(phase, jobs, args)
                log(f"{s.label} {phase}: {r['rps']:.0f} req/s, VmHWM {mib(r['status']['VmHWM']):.1f} MiB, "
                    f"VmRSS after {mib(r['status']['VmRSS']):.1f} MiB, errors {r['errors']}")
        time.sleep(args.settle)
        for s in subjects:
            s.phases["after"] = {"status": status_kib(s.server.pid), "mappings": mappings_kib(s.server.pid)}
        return report(subjects, args)

    return run_guarded("bench/memory.py", subjects, work, args.keep, measure_all)


def report(subjects, args):
    print_head(f"{args.spendings} spendings, {args.period_rows} in the default list; phases of {args.duration} s, "
               f"wrk -t2 -c32 (mixed: 11 + 11 + 10 connections); MiB",
               f"{'binary':<10}{'phase':<18}{'VmRSS':>8}{'VmHWM':>8}{'RssAnon':>9}{'RssFile':>9}{'req/s':>8}{'errors':>8}")
    for s in subjects:
        for phase, r in s.phases.items():
            st = r["status"]
            rps = f"{r['rps']:>8.0f}{r['errors']:>8}" if "rps" in r else ""
            print(f"{s.label:<10}{phase:<18}{mib(st['VmRSS']):>8.1f}{mib(st['VmHWM']):>8.1f}"
                  f"{mib(st['RssAnon']):>9.1f}{mib(st['RssFile']):>9.1f}{rps}")
    for s in subjects:
        for phase in ("idle", "after"):
            print(f"{s.label} {phase}, largest resident mappings: "
                  + ", ".join(f"{name.split('/')[-1]} {mib(kib):.1f}" for kib, name in s.phases[phase]["mappings"]))
    verdicts = []
    for s in subjects:
        idle = mib(s.phases["idle"]["status"]["VmRSS"])
        peak = max(mib(r["status"]["VmHWM"]) for r in s.phases.values())
        ping = mib(s.phases["GET /ping"]["status"]["VmHWM"])
        s.figures = {"idle_mib": idle, "peak_mib": peak, "ping_peak_mib": ping}
        verdicts.append(f"{s.label}: idle {idle:.1f} MiB = {idle / IDLE_TARGET_MIB:.2f}x the target, peak {peak:.1f} MiB = "
                        f"{peak / PEAK_TARGET_MIB:.2f}x the target, {peak / ping:.2f}x the peak under /ping alone")
    print("\n".join(verdicts))
    if not all(r.get("peak_reset", True) for s in subjects for r in s.phases.values()):
        print("note: VmHWM could not be reset between phases: each is the peak since the start")
    f = subjects[0].figures
    met = f["idle_mib"] <= IDLE_TARGET_MIB and f["peak_mib"] <= PEAK_TARGET_MIB
    print(f"HEADLINE idle {f['idle_mib']:.1f} MiB (target <= {IDLE_TARGET_MIB}), peak {f['peak_mib']:.1f} MiB "
          f"(target <= {PEAK_TARGET_MIB}): {'MET' if met else 'NOT MET'}")
    write_results("memory", args, subjects, figures={s.label: s.figures for s in subjects},
                  phases={s.label: s.phases for s in subjects})
    return 0


if __name__ == "__main__":
    sys.exit(main())
