"""What every runner in bench/ shares: wrk runs with the bearer token, the CPU the server, wrk and
everything else used during one run, and the ratio of a route to the same server's /ping;
one request at a time on a kept-alive connection with the server's CPU time around it; a
household seeded with N spendings in F funnels over Y years; the server under callgrind,
counting the instructions of chosen requests; quick mode, results JSON, clean-up.

Starting the server and signing up are in tools/stracker_harness.py (shared with e2e/).
"""

import datetime as dt
import http.client
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO / "tools"))

LUA = BENCH_DIR / "auth.lua"
WRK_TIMEOUT = 5  # seconds before wrk counts a request as timed out (an error in the table)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message, name="bench"):
    print(f"[{name} {time.strftime('%H:%M:%S')}] {message}", flush=True)


def proc_cpu_s(pid):
    """CPU seconds (user + system) the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_busy_s():
    """CPU seconds all CPUs have spent not idle (user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CLK_TCK


def children_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wrk(url, token, threads, connections, seconds, timeout_s=WRK_TIMEOUT, body=None):
    """One wrk run (bench/auth.lua); with `body`, every request is a POST of that JSON."""
    env = dict(os.environ, STRACKER_TOKEN=token or "", STRACKER_BODY=body or "")
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout_s}s", "--latency",
           "-s", str(LUA), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 30)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip()}")
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result = json.loads(line[len("BENCH_JSON "):])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            return result
    raise RuntimeError(f"no BENCH_JSON line in wrk output:\n{out.stdout}")


def measure(pid, url, token, threads, connections, seconds, body=None):
    """One measured wrk run, with the CPU the server (`pid`), wrk and everything else used meanwhile."""
    load = os.getloadavg()[0]
    before = (proc_cpu_s(pid), children_cpu_s(), machine_busy_s())
    r = wrk(url, token, threads, connections, seconds, body=body)
    after = (proc_cpu_s(pid), children_cpu_s(), machine_busy_s())
    server_cpu, wrk_cpu, busy = (a - b for a, b in zip(after, before))
    duration = r["duration_us"] / 1e6
    r.update(server_cpu_s=server_cpu, server_cpu_us_per_req=server_cpu / max(r["requests"], 1) * 1e6,
             server_cores=server_cpu / duration, wrk_cores=wrk_cpu / duration,
             other_cores=max(0.0, busy - server_cpu - wrk_cpu) / duration, loadavg1_before=load,
             errors=sum(r[k] for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout")))
    return r


def fmt_ms(us):
    return f"{us / 1000:.2f} ms"


def add_common_args(ap, time_limit):
    """The options every side-by-side runner takes: a baseline binary, keeping the data, a time limit."""
    ap.add_argument("--baseline-bin", help="a second binary measured the same way, interleaved (e.g. before a change)")
    ap.add_argument("--keep", action="store_true", help="keep the data folders")
    ap.add_argument("--time-limit", type=int, default=time_limit, help="seconds before everything is stopped")


def binaries(args):
    """(label, binary) of each server to measure: STRACKER_BIN's release build, then --baseline-bin."""
    from stracker_harness import binary_path  # noqa: PLC0415 (tools/ is on the path once this module loaded)
    found = [("current", binary_path(allow_debug=False))]
    if args.baseline_bin:
        found.append(("baseline", Path(args.baseline_bin).resolve()))
    return found


def stop_after(seconds):
    """Ctrl-C, SIGTERM and, after `seconds`, SIGALRM raise the harness's Abort, so that the
    runner's `finally` stops its servers and removes its folders."""
    import signal  # noqa: PLC0415
    from stracker_harness import on_signal  # noqa: PLC0415
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(s, on_signal)
    signal.alarm(seconds)


def side_by_side(args, prefix, make):
    """One temporary folder, and in it a data folder and a server (not started) per binary of
    `binaries(args)`; returns the folder and `make(label, server)` for each."""
    import tempfile  # noqa: PLC0415
    from stracker_harness import Server  # noqa: PLC0415
    work = Path(tempfile.mkdtemp(prefix=prefix))
    subjects = []
    for label, binary in binaries(args):
        folder = work / label
        folder.mkdir()
        subjects.append(make(label, Server(folder, binary=binary, ACCESS_TTL="3600")))
    return work, subjects


def run_guarded(script, subjects, work, keep, body):
    """`body()`'s exit code; on any error (or Abort), the failing server's log and 1. Every
    server (`subject.server`) is stopped and `work` removed (unless `keep`) on every way out."""
    from stracker_harness import Abort, report_failure, wind_down  # noqa: PLC0415
    try:
        return body()
    except (Abort, Exception) as error:  # noqa: BLE001
        failing = next((s for s in subjects if s.server.process is not None), subjects[0])
        return report_failure(script, failing.server, error)
    finally:
        for s in subjects[:-1]:
            s.server.stop()
        wind_down(subjects[-1].server, work, keep, log=log)


# --- options, results -------------------------------------------------------------------------

def parse(ap, quick):
    """`ap`'s arguments, with `--quick` added: a smoke test in well under a minute, `quick`'s
    values replacing the defaults (an option given on the command line still wins)."""
    shown = ", ".join("--" + k.replace("_", "-") + " " + str(v) for k, v in quick.items())
    ap.add_argument("--quick", action="store_true", help=f"a smoke test in well under a minute ({shown})")
    if "--quick" in sys.argv[1:]:
        ap.set_defaults(**quick)
    return ap.parse_args()


def write_results(name, args, subjects, **results):
    """bench/results/<name>-<time>.json (git-ignored): when, what ran, every option, and `results`."""
    report = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "command": " ".join(sys.argv), "host": socket.gethostname(), "cpus": os.cpu_count(),
              "binaries": {s.label: str(s.server.binary) for s in subjects}, "options": vars(args), **results}
    folder = BENCH_DIR / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"results: {path.relative_to(REPO)}")
    return path


def print_head(title, header):
    """A report's first lines: a blank line, what was measured, the column names, a rule."""
    print(f"\n{title}\n{header}\n{'-' * len(header)}")


def summary(values):
    """median, p90 (as bench/spending_list.py takes it), min and max of a list of numbers."""
    ordered = sorted(values)
    return {"n": len(ordered), "median": statistics.median(ordered), "p90": ordered[int(0.9 * (len(ordered) - 1))],
            "min": ordered[0], "max": ordered[-1]}


# --- one request at a time --------------------------------------------------------------------

def cpu_ns(pid):
    """CPU nanoseconds all the process's threads have run so far (/proc/PID/task/*/schedstat): the
    clock ticks of /proc/PID/stat (10 ms) are too coarse for a few requests of a few ms."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return total


class Http:
    """One kept-alive HTTP/1.1 connection to the server, with the bearer token: the client of the
    runners that time one request at a time (http.client costs less time of its own than
    requests, so the wall time is more the server's)."""

    def __init__(self, url, token=None, timeout=120):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.headers = {"Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connection = None

    def request(self, method, path, body=None, expect=200):
        """(answer's bytes, seconds from sending to the last byte); fails unless the status is `expect`."""
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):  # a kept-alive connection the server closed while idle: once more on a new one
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=data, headers=headers)
                reply = self.connection.getresponse()
                content = reply.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            if reply.status != expect:
                raise RuntimeError(f"{method} {path} answered {reply.status} (expected {expect}): {content[:300]!r}")
            if (reply.getheader("Connection") or "").lower() == "close":
                self.close()
            return content, seconds

    def json(self, method, path, body=None, expect=200):
        return json.loads(self.request(method, path, body, expect)[0] or b"null")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def timed_get(client, pid, path):
    """One GET alone: (answer's bytes, client wall time in ms, the server's CPU time in ms, all threads)."""
    before = cpu_ns(pid)
    content, seconds = client.request("GET", path)
    return content, seconds * 1000, (cpu_ns(pid) - before) / 1e6


# --- seeding ----------------------------------------------------------------------------------

NOTES = ["", "", "", "", "groceries", "market", "refill", "gift", "online", 'a "quoted" Grüße']


def now_ms():
    return int(time.time() * 1000)


def make_rows(count, funnel_ids, now, years, recent=0, gap_days=0, seed=20240601):
    """`count` spendings as spending columns (what clone_spendings_sqlite names): `recent` of them
    evenly over the last hour (so in this period's default list), the others at random over
    `years` years ending `gap_days` days before `now` (ms), in random funnels; 2 % refunds."""
    rng = random.Random(seed)
    end = now - max(gap_days * 86_400_000, 60_000)
    start = now - gap_days * 86_400_000 - int(years * 365.2425 * 86_400_000)
    rows = []
    for i in range(count):
        ts = now - 3_600_000 + i * 3_540_000 // max(recent, 1) if i < recent else rng.randint(start, end)
        amount = rng.randint(50, 9_000) * (-1 if rng.random() < 0.02 else 1)
        rows.append({"id": str(uuid.uuid4()), "funnel_id": rng.choice(funnel_ids), "amount_minor": amount,
                     "timestamp": ts, "note": rng.choice(NOTES), "created_at": ts + rng.randint(0, 3_600_000)})
    return rows


def add_funnels(client, count):
    """Funnels up to `count` in the household (3 of every 4 shared); their ids in the app's order."""
    have = len(client.json("GET", "/funnel/"))
    for i in range(have, count):
        client.request("POST", "/funnel/", {"name": f"Funnel {i + 1}", "limit": 100 + 25 * i, "color": "teal",
                                            "emoji": "💶", "shared": i % 4 != 3}, expect=201)
    return [f["id"] for f in client.json("GET", "/funnel/")]


class Household:
    """A signed-up user's household on a server: token, funnel ids, a client, how many spendings."""

    def __init__(self, server, pair, funnel_ids, spendings):
        self.server, self.token, self.refresh = server, pair["access"], pair["refresh"]
        self.funnel_ids, self.spendings = funnel_ids, spendings
        self.client = Http(server.url, self.token)


def seed_household(server, label, spendings, funnels=2, years=5.0, recent=0, gap_days=0, start_timeout=120):
    """Starts `server`, signs a user up (a household with the 2 default funnels), adds funnels up
    to `funnels`, posts one spending through the API and copies it with sqlite3 (the harness's
    clone_spendings_sqlite) into `spendings` in all, spread as make_rows says; restarts the
    server on that data and returns the Household. The access token lives ACCESS_TTL (the
    runners set 3600 s) and stays good across restarts (the key is in the data folder)."""
    from stracker_harness import clone_spendings_sqlite, register_user  # noqa: PLC0415
    server.start()
    _secret, pair = register_user(server.url, f"bench-{label}")
    client = Http(server.url, pair["access"])
    funnel_ids = add_funnels(client, funnels)
    template, now = str(uuid.uuid4()), now_ms()
    client.request("POST", "/spending/", {"id": template, "amount": 1, "funnel_id": funnel_ids[0],
                                          "timestamp": now - 3_600_000}, expect=201)
    client.close()
    server.stop()
    if spendings > 1:
        started = time.monotonic()
        rows = make_rows(spendings - 1, funnel_ids, now, years, recent=max(recent - 1, 0), gap_days=gap_days)
        clone_spendings_sqlite(f"{server.data_dir}/stracker.sqlite", template, rows)
        log(f"{label}: {spendings} spendings in {len(funnel_ids)} funnels over {years:g} years "
            f"(copied with sqlite3 in {time.monotonic() - started:.1f} s)")
    server.start(timeout=start_timeout)
    return Household(server, pair, funnel_ids, spendings)


# --- callgrind --------------------------------------------------------------------------------

class Callgrind:
    """`server` under `valgrind --tool=callgrind`, its instrumentation off except while count()
    runs an action: instructions executed by every thread of the server (Ir), steady from run to
    run where wall and CPU times are not. Use as `with Callgrind(server, folder) as cg:`; the
    server is stopped before and after, then runs its own binary again.

    valgrind 3.19 cannot read the DWARF 5 of a Swift 6 build ("Possibly corrupted debuginfo
    file"), so it runs a copy without debug information (`objcopy --strip-debug`; the code and
    the symbols are the same). callgrind_control talks to valgrind through files named after
    the process's HOST, USER and LOGNAME, so it runs with the server's environment."""

    START_TIMEOUT = 300

    def __init__(self, server, folder):
        self.server, self.folder = server, Path(folder)
        self.out = self.folder / "callgrind.out"
        self.prefix = self.folder / "vgdb"

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        stripped = self.folder / "stracker-nodebug"
        subprocess.run(["objcopy", "--strip-debug", str(self.server.binary), str(stripped)], check=True, timeout=300)
        self.server.stop()
        self.binary, self.server.binary = self.server.binary, stripped
        self.server.wrapper = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--vgdb-prefix={self.prefix}",
                               f"--callgrind-out-file={self.out}"]
        self.server.start(timeout=self.START_TIMEOUT)
        return self

    def __exit__(self, *_exc):
        try:
            self.server.stop(timeout=60)
        finally:
            self.server.binary, self.server.wrapper = self.binary, []
            stripped = self.folder / "stracker-nodebug"
            stripped.unlink(missing_ok=True)  # 100+ MB

    def control(self, *command):
        done = subprocess.run(["callgrind_control", f"--vgdb-prefix={self.prefix}", *command, str(self.server.pid)],
                              env=self.server.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or "OK" not in done.stdout:
            raise RuntimeError(f"callgrind_control {' '.join(command)}: {done.stdout.strip()} {done.stderr.strip()}")

    def count(self, action, keep_as=None):
        """Instructions the server executed while `action()` ran (its result is dropped); the
        dump (for callgrind_annotate) is moved to `keep_as` if given."""
        for old in self.folder.glob("callgrind.out.*"):
            old.unlink()
        self.control("--instr=on")
        self.control("--zero")
        action()
        self.control("--dump")
        self.control("--instr=off")
        dumps = list(self.folder.glob("callgrind.out.*"))
        if len(dumps) != 1:
            raise RuntimeError(f"expected one callgrind dump, found {[d.name for d in dumps]}")
        for line in dumps[0].read_text(errors="replace").splitlines():
            if line.startswith("summary:") or line.startswith("totals:"):
                if keep_as:
                    dumps[0].replace(keep_as)
                return int(line.split()[1])
        raise RuntimeError(f"no summary in {dumps[0]}")


# --- the first request after a write: bench/history.py, bench/overview_uncached.py -------------

class Uncached:
    """One binary under test for the uncached runners: its server, a seeded household, and for
    each kind of GET ("route" the first after a write, "again" the one right after it, "ping"
    the first after a write too) the wall times, server CPU times and instruction counts."""

    KINDS = ("ping", "route", "again")

    def __init__(self, label, server):
        self.label, self.server = label, server
        self.samples = {k: {"wall_ms": [], "cpu_ms": [], "instructions": []} for k in self.KINDS}
        self.posted = 0

    def seed(self, args):
        self.household = seed_household(self.server, self.label, args.spendings, args.funnels, args.years)
        self.funnel = self.household.funnel_ids[0]

    def write(self, client):
        """One POST /spending/ of 1.00 in the first funnel, now: the household's version moves on,
        and every rendered answer of it is stale."""
        client.request("POST", "/spending/", {"amount": 1, "funnel_id": self.funnel, "note": "bench"}, expect=201)
        self.posted += 1


def uncached_main(doc, name, path, spent, target_ms, defaults, quick):
    """The whole of bench/history.py and bench/overview_uncached.py: `path` measured as the first
    GET after a write, next to GET /ping measured the same way, natively and under callgrind.
    `spent(answer, funnel_id)` reads the funnel's sum of this period from the answer, so that
    every measured answer is checked to include the write before it (it is not a stale body)."""
    import argparse  # noqa: PLC0415
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spendings", type=int, default=defaults["spendings"], help="spendings in the household")
    ap.add_argument("--funnels", type=int, default=defaults["funnels"], help="funnels in the household")
    ap.add_argument("--years", type=float, default=defaults["years"], help="the spendings spread over this many years")
    ap.add_argument("--requests", type=int, default=40, help="timed requests of each kind per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pause", type=float, default=0.05, help="seconds between the write and the GET (the write's own work done)")
    ap.add_argument("--budget", type=float, default=30,
                    help="seconds a round may take per binary: fewer requests (at least 5) where one is slow")
    ap.add_argument("--callgrind", type=int, default=10, help="requests of each kind counted under callgrind (0: none)")
    ap.add_argument("--callgrind-budget", type=float, default=90,
                    help="seconds the counting may take per binary: fewer requests (at least 2) where one is slow")
    add_common_args(ap, time_limit=1800)
    args = parse(ap, quick)

    stop_after(args.time_limit)
    work, subjects = side_by_side(args, f"stracker-bench-{name}-", Uncached)
    kinds = {"ping": "/ping", "route": path, "again": path}

    def checked(s, content):
        have = spent(json.loads(content, parse_float=Decimal), s.funnel)
        if have != s.expected + s.posted:
            raise RuntimeError(f"{s.label}: {path} says {have} spent in the first funnel, "
                               f"{s.expected + s.posted} after {s.posted} writes: a stale answer?")

    def measure_all():
        for s in subjects:
            s.seed(args)
            s.expected = spent(json.loads(s.household.client.request("GET", path)[0], parse_float=Decimal), s.funnel)
            for _ in range(3):  # warm-up: SQLite's page cache, the server's code paths
                s.household.client.request("GET", path)
            log(f"{s.label}: {s.server.binary} on {s.server.url}")
        for round_no in range(1, args.rounds + 1):
            for s in subjects:
                client, pid = s.household.client, s.server.pid
                deadline, done = time.monotonic() + args.budget, 0
                while done < args.requests and (done < 5 or time.monotonic() < deadline):
                    done += 1
                    for kind in ("route", "ping"):
                        s.write(client)
                        time.sleep(args.pause)
                        content, wall, cpu = timed_get(client, pid, kinds[kind])
                        s.samples[kind]["wall_ms"].append(wall)
                        s.samples[kind]["cpu_ms"].append(cpu)
                        if kind == "route":
                            checked(s, content)
                            _content, wall, cpu = timed_get(client, pid, path)
                            s.samples["again"]["wall_ms"].append(wall)
                            s.samples["again"]["cpu_ms"].append(cpu)
                recent = {k: statistics.median(s.samples[k]["wall_ms"][-done:]) for k in ("route", "ping")}
                log(f"round {round_no}/{args.rounds} {s.label}: {path} first after a write {recent['route']:.2f} ms, "
                    f"/ping after a write {recent['ping']:.2f} ms (medians of {done}, client wall time)")
        if args.callgrind:
            for s in subjects:
                with Callgrind(s.server, work / s.label / "callgrind") as cg:
                    client = Http(s.server.url, s.household.token)
                    for kind in kinds.values():
                        client.request("GET", kind)
                    deadline, done = time.monotonic() + args.callgrind_budget, 0
                    while done < args.callgrind and (done < 2 or time.monotonic() < deadline):
                        done += 1
                        for kind in ("route", "ping"):
                            s.write(client)
                            time.sleep(max(args.pause, 0.3))  # everything runs slower under valgrind
                            s.samples[kind]["instructions"].append(cg.count(
                                lambda k=kind: client.request("GET", kinds[k]), keep_as=dump_path(name, s.label, kind)))
                            if kind == "route":
                                s.samples["again"]["instructions"].append(cg.count(lambda: client.request("GET", path)))
                    client.close()
                log(f"{s.label} under callgrind: {path} first after a write "
                    f"{statistics.median(s.samples['route']['instructions']) / 1e6:.2f} M instructions, "
                    f"/ping {statistics.median(s.samples['ping']['instructions']) / 1e6:.2f} M (medians of {done}); "
                    f"the last one's dump: callgrind_annotate {dump_path(name, s.label, 'route').relative_to(REPO)}")
        return uncached_report(name, path, target_ms, subjects, args)

    return run_guarded(f"bench/{name}.py", subjects, work, args.keep, measure_all)


def dump_path(name, label, kind):
    """Where the last callgrind dump of a kind of request is kept: bench/results/ (git-ignored)."""
    folder = BENCH_DIR / "results"
    folder.mkdir(exist_ok=True)
    return folder / f"callgrind-{name}-{label}-{kind}.out"


def uncached_report(name, path, target_ms, subjects, args):
    labels = {"ping": "GET /ping, 1st after write", "route": f"GET {path}, 1st after write",
              "again": f"GET {path}, 2nd after write"}
    stats = {s.label: {k: {m: summary(v) for m, v in s.samples[k].items() if v} for k in s.KINDS} for s in subjects}
    print_head(f"{subjects[0].household.spendings} spendings in {len(subjects[0].household.funnel_ids)} funnels over "
               f"{args.years:g} years; {args.rounds} rounds x up to {args.requests} requests of each kind (n in all), one at a time, "
               f"{args.pause:g} s after a POST /spending/; medians (p90)",
               f"{'binary':<10}{'request':<40}{'wall':>10}{'(p90)':>10}{'CPU':>10}{'instr':>10}{'n':>5}"
               f"   ratio/ping:{'wall':>5}{'CPU':>8}{'instr':>8}")
    for s in subjects:
        mine, ping = stats[s.label], stats[s.label]["ping"]
        for kind in s.KINDS:
            row = mine[kind]
            instr = f"{row['instructions']['median'] / 1e6:>9.2f}M" if "instructions" in row else f"{'-':>10}"
            ratios = [f"{ping[m]['median'] / row[m]['median']:>8.2g}" if m in row and row[m]["median"] else f"{'-':>8}"
                      for m in ("wall_ms", "cpu_ms", "instructions")]
            print(f"{s.label:<10}{labels[kind]:<40}{row['wall_ms']['median']:>8.2f}ms{row['wall_ms']['p90']:>8.2f}ms"
                  f"{row['cpu_ms']['median']:>8.2f}ms{instr}{row['wall_ms']['n']:>5}   {''.join(ratios)}")
    if len(subjects) == 2:
        current, baseline = (stats[s.label]["route"] for s in subjects)
        parts = [f"{m.split('_')[0]} {baseline[m]['median'] / current[m]['median']:.2f}x"
                 for m in ("wall_ms", "cpu_ms", "instructions") if m in current and m in baseline]
        print(f"baseline/current, {path} 1st after a write: {', '.join(parts)}")
    route = stats[subjects[0].label]["route"]
    wall = route["wall_ms"]["median"]
    instr = f", {route['instructions']['median'] / 1e6:.2f} M instructions" if "instructions" in route else ""
    print(f"HEADLINE GET {path} first after a write at {subjects[0].household.spendings} spendings: {wall:.2f} ms "
          f"(target <= {target_ms:g} ms), server CPU {route['cpu_ms']['median']:.2f} ms{instr}: "
          f"{'MET' if wall <= target_ms else 'NOT MET'}")
    write_results(name, args, subjects, stats=stats, samples={s.label: s.samples for s in subjects})
    return 0
