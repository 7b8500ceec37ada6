"""What every runner in bench/ shares: wrk runs with the bearer token, the CPU the server, wrk and
everything else used during one run, and the ratio of a route to the same server's /ping.

Starting the server and signing up are in tools/stracker_harness.py (shared with e2e/).
"""

import json
import os
import resource
import subprocess
import sys
import time
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
