#!/usr/bin/env python3
"""What HTTPS costs: GET /ping over TLS beside the same binary's plain HTTP, measured in one run.

Two servers of the same release binary run side by side (one plain, one with a certificate made
by `stracker tls self-signed`), and wrk measures each in alternating rounds:

- keep-alive (`wrk -c32`): one handshake per connection, so this is the cost of encrypting the
  requests and answers themselves;
- a new connection per request (`Connection: close`): every request pays a full handshake
  (ECDHE P-256, an ECDSA P-256 certificate, TLS 1.3 as wrk's OpenSSL offers it), so the
  difference in server CPU per request between the two servers is the handshake's cost.

Printed: requests/s and p99 of each, the TLS/plain ratios, and server CPU microseconds per
request (from /proc/PID/stat) with the handshake's share. Starting the servers goes through
tools/stracker_harness.py, like e2e/ and bench/overview.py.
"""

import argparse
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

from stracker_harness import Abort, Server, binary_path, on_signal, report_failure, rss_kib, wind_down  # noqa: E402

LUA = REPO / "bench" / "auth.lua"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def proc_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def wrk(server, seconds, connections, close):
    """One wrk run against server's /ping; the BENCH_JSON line of bench/auth.lua plus server CPU."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout=5s", "--latency", "-s", str(LUA)]
    if close:
        command += ["-H", "Connection: close"]
    before = proc_cpu_s(server.pid)
    out = subprocess.run(command + [server.url + "/ping"], env=dict(os.environ, STRACKER_TOKEN=""),
                         capture_output=True, text=True, timeout=seconds + 30)
    cpu = proc_cpu_s(server.pid) - before
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip()}")
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"no BENCH_JSON line in wrk output:\n{out.stdout}")
    result = json.loads(line[len("BENCH_JSON "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["server_cpu_us_per_request"] = cpu * 1e6 / max(result["requests"], 1)
    # With Connection: close wrk counts the server's close after each answer as a read error, so
    # read errors are failures only on kept-alive connections.
    kinds = ("err_connect", "err_write", "err_status", "err_timeout") + (() if close else ("err_read",))
    result["errors"] = sum(result[k] for k in kinds)
    if result["errors"]:
        raise RuntimeError(f"wrk saw {result['errors']} failed requests: {result}")
    return result


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each kind, alternating plain and TLS")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--time-limit", type=int, default=600, help="seconds before the whole run is aborted")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders and server logs")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install -y wrk)")
    binary = binary_path(allow_debug=False)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(args.time_limit)
    work = pathlib.Path(tempfile.mkdtemp(prefix="stracker-bench-tls-"))
    plain = Server(work / "plain", binary=binary, LOG_LEVEL="warning")
    secure = None
    try:
        (work / "plain").mkdir()
        (work / "tls").mkdir()
        made = subprocess.run([str(binary), "tls", "self-signed", "--host", "127.0.0.1"],
                              env=dict(os.environ, DATA_DIR=str(work / "tls")), capture_output=True, text=True, timeout=60)
        if made.returncode != 0:
            raise RuntimeError(f"tls self-signed failed: {made.stderr}")
        folder = work / "tls" / "tls"
        secure = Server(work / "tls", binary=binary, ca_file=folder / "ca.pem", LOG_LEVEL="warning",
                        TLS_CERT_FILE=str(folder / "server.pem"), TLS_KEY_FILE=str(folder / "server-key.pem"))
        plain.start()
        secure.start()
        log(f"plain {plain.url}, TLS {secure.url} ({binary})")
        for server in (plain, secure):
            wrk(server, 2, args.connections, close=False)  # warm-up

        runs = {(kind, close): [] for kind in ("plain", "tls") for close in (False, True)}
        for round_number in range(args.rounds):
            for close in (False, True):
                for kind, server in (("plain", plain), ("tls", secure)):
                    result = wrk(server, args.duration, args.connections, close)
                    runs[(kind, close)].append(result)
                    log(f"round {round_number + 1} {kind:5} {'new connection each' if close else 'keep-alive':19} "
                        f"{result['rps']:9.0f} req/s  p99 {result['p99_us'] / 1000:6.2f} ms  "
                        f"server {result['server_cpu_us_per_request']:6.1f} µs/req  errors {result['errors']}")

        def figure(kind, close, key):
            return median([r[key] for r in runs[(kind, close)]])

        print()
        print("| /ping | plain req/s | TLS req/s | TLS/plain | plain p99 | TLS p99 | server µs/req plain | TLS |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for close, name in ((False, "keep-alive"), (True, "new connection each")):
            p, t = figure("plain", close, "rps"), figure("tls", close, "rps")
            print(f"| {name} | {p:,.0f} | {t:,.0f} | {t / p:.2f} | {figure('plain', close, 'p99_us') / 1000:.2f} ms "
                  f"| {figure('tls', close, 'p99_us') / 1000:.2f} ms | {figure('plain', close, 'server_cpu_us_per_request'):.1f} "
                  f"| {figure('tls', close, 'server_cpu_us_per_request'):.1f} |")
        handshake = figure("tls", True, "server_cpu_us_per_request") - figure("plain", True, "server_cpu_us_per_request")
        print(f"\nhandshake: ≈{handshake:.0f} µs of server CPU each (TLS minus plain, a new connection per request)")
        print(f"RSS after the load: plain {rss_kib(plain.pid) / 1024:.1f} MiB, TLS {rss_kib(secure.pid) / 1024:.1f} MiB")
        return 0
    except (Abort, Exception) as error:  # noqa: BLE001 — reported with the server log, then unwound
        return report_failure("bench/tls.py", secure or plain, error)
    finally:
        if secure is not None:
            secure.stop()
        wind_down(plain, work, args.keep, log)


if __name__ == "__main__":
    sys.exit(main())
