#!/usr/bin/env python3
"""bench/soak.py: does the server hold steady under hours of ordinary use? (issue 10, item 17)

Starts the release binary (STRACKER_BIN overrides) on a free 127.0.0.1 port with a throw-away
DATA_DIR, signs up a pool of users, then runs mixed traffic at a fixed rate (open loop: an
operation is started every 1/rate s whether or not the earlier ones have finished): GET /overview,
POST and DELETE /spending/, POST /user/refresh, POST /user/login and registrations. After a
warm-up it reads the server's VmRSS, runs for --duration seconds (600 by default), reads it again,
and prints both, the growth (target < 10 %) and the error count (target 0: every answer the one
the API promises, no exception, no timeout). Exits 1 when either target is missed.

What keeps it honest:
- each user is one simulated phone: its own X-Forwarded-For address (the server is started with
  TRUSTED_PROXIES=127.0.0.1), so the per-address throttles of sign-in and sign-up see one
  client per user, as they would behind a reverse proxy, and never trip;
- logins use a correct code of a TOTP step the user has not used yet (a step works once per
  user; the current or the next one, which the server also accepts), so a user signs in at most
  twice per 30 s step; when no user has an unused step the login is skipped (counted as
  "deferred", not as traffic) — with the default mix about 24 logins fall in a step, fewer than
  --users;
- a user's operations never overlap (its refresh token works once), and each keeps at most
  --keep spendings (a create beyond that deletes instead), so the data stays about the same
  size and what RSS shows is the server, not the data set growing.

Starting the server and signing up go through tools/stracker_harness.py, shared with e2e/ and
bench/overview.py. See bench/README.md.
"""

import argparse
import os
import random
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import requests

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO / "tools"))
from stracker_harness import (  # noqa: E402
    Abort, Server, binary_path, on_signal, register_user, report_failure, rss_kib, wind_down,
)

HTTP_TIMEOUT = 15  # seconds: an answer slower than this is an error
RSS_TARGET = 10.0  # per cent growth from the start (after the warm-up) to the end
DEFAULT_MIX = "overview=48,create=22,delete=20,refresh=8,login=1.6,register=0.4"
OPERATIONS = ("overview", "create", "delete", "refresh", "login", "register")


def log(message):
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Failure(Exception):
    """An answer other than the one the API promises."""


class Via:
    """What register_user needs of a requests.Session (`post`), sending the user's own headers."""

    def __init__(self, http, headers):
        self.http, self.headers = http, headers

    def post(self, url, **kwargs):
        return self.http.post(url, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)


class User:
    """One simulated phone: a username, its authenticator secret, its tokens, its own address."""

    def __init__(self, number):
        self.name = f"soak{number}-{uuid.uuid4().hex[:6]}"
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.lock = threading.Lock()
        self.secret = self.totp = self.access = self.refresh = self.funnel = None
        self.last_step = 0
        self.spendings = []

    def headers(self, auth=True):
        headers = {"X-Forwarded-For": self.address}
        if auth:
            headers["Authorization"] = f"Bearer {self.access}"
        return headers


class Soak:
    def __init__(self, server, args):
        self.server = server
        self.url = server.url
        self.args = args
        self.rng = random.Random(args.seed)
        self.users = []
        self.users_lock = threading.Lock()
        self.local = threading.local()
        self.stats_lock = threading.Lock()
        self.reset_stats()

    def reset_stats(self):
        with self.stats_lock:
            self.done = Counter()  # operation -> completed without error
            self.requests = 0
            self.errors = Counter()  # operation -> errors
            self.error_samples = []
            self.deferred = Counter()
            self.latency = defaultdict(list)  # operation -> seconds

    @property
    def http(self):
        if not hasattr(self.local, "http"):
            self.local.http = requests.Session()
        return self.local.http

    def call(self, user, method, path, expect, auth=True, **kwargs):
        with self.stats_lock:
            self.requests += 1
        answer = self.http.request(method, self.url + path, headers=user.headers(auth), timeout=HTTP_TIMEOUT, **kwargs)
        if answer.status_code != expect:
            raise Failure(f"{method} {path}: expected {expect}, got {answer.status_code}: {answer.text[:200]}")
        return answer.json() if answer.content else None

    # --- the operations: each on one user, under its lock ---

    def register(self):
        with self.users_lock:
            user = User(len(self.users) + 1)
        with self.stats_lock:
            self.requests += 2
        user.secret, pair = register_user(self.url, user.name, http=Via(self.http, user.headers(auth=False)),
                                          timeout=HTTP_TIMEOUT)
        user.totp = pyotp.TOTP(user.secret)
        user.last_step = int(time.time()) // 30  # the sign-up used a code of this step at the latest
        user.access, user.refresh = pair["access"], pair["refresh"]
        user.funnel = self.call(user, "GET", "/funnel/", 200)[0]["id"]
        with self.users_lock:
            self.users.append(user)

    def overview(self, user):
        body = self.call(user, "GET", "/overview", 200)
        if not body.get("funnels"):
            raise Failure("GET /overview: no funnels")

    def create(self, user):
        if len(user.spendings) >= self.args.keep:
            return self.delete(user)
        spending_id = str(uuid.uuid4())
        body = {"id": spending_id, "amount": self.rng.randint(1, 20_000) / 100, "funnel_id": user.funnel,
                "note": self.rng.choice(("", "", "bread", "bus", "coffee"))}
        if self.call(user, "POST", "/spending/", 201, json=body) != spending_id:
            raise Failure("POST /spending/ answered another id")
        user.spendings.append(spending_id)

    def delete(self, user):
        if not user.spendings:
            return self.create(user)
        self.call(user, "DELETE", f"/spending/{user.spendings.pop(0)}", 204)

    def refresh(self, user):
        pair = self.call(user, "POST", "/user/refresh", 200, auth=False, json={"refresh": user.refresh})
        user.access, user.refresh = pair["access"], pair["refresh"]

    @staticmethod
    def login_step(user):
        """The TOTP step a login of `user` can use now: the current one, or the next (the server
        accepts one step either way) when the current one is spent; None when both are."""
        now = int(time.time()) // 30
        step = max(now, user.last_step + 1)
        return step if step <= now + 1 else None

    def login(self, user):
        step = self.login_step(user)  # run_one has checked, under the user's lock, that there is one
        user.last_step = step
        pair = self.call(user, "POST", "/user/login", 200, auth=False,
                         json={"username": user.name, "otp": user.totp.at(step * 30)})
        user.access, user.refresh = pair["access"], pair["refresh"]

    def pick_user(self, operation):
        """A user whose turn it can be: any, or for a login one with an unused TOTP step. None if none."""
        with self.users_lock:
            candidates = self.users
            if operation == "login":
                candidates = [u for u in self.users if self.login_step(u) is not None and not u.lock.locked()]
            if not candidates:
                return None
            return self.rng.choice(candidates)

    def run_one(self, operation):
        started = time.monotonic()
        try:
            if operation == "register":
                self.register()
            else:
                user = self.pick_user(operation)
                if user is None:
                    with self.stats_lock:
                        self.deferred[operation] += 1
                    return
                with user.lock:
                    if operation == "login" and self.login_step(user) is None:
                        with self.stats_lock:
                            self.deferred[operation] += 1
                        return
                    getattr(self, operation)(user)
        except Exception as error:  # noqa: BLE001 - every failure is an error of the soak, none may end it
            with self.stats_lock:
                self.errors[operation] += 1
                if len(self.error_samples) < 20:
                    self.error_samples.append(f"{operation}: {type(error).__name__}: {str(error)[:300]}")
            return
        with self.stats_lock:
            self.done[operation] += 1
            self.latency[operation].append(time.monotonic() - started)

    def traffic(self, seconds, mix, pool):
        """Starts one operation every 1/rate s for `seconds`; returns (operations started, how late the last was)."""
        names, weights = zip(*mix.items())
        period = 1.0 / self.args.rate
        start = time.monotonic()
        started = 0
        futures = []
        lateness = 0.0
        while True:
            due = start + started * period
            if due >= start + seconds:
                break
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                lateness = max(lateness, -wait)
            futures.append(pool.submit(self.run_one, self.rng.choices(names, weights)[0]))
            started += 1
            if len(futures) > 1000:
                futures = [f for f in futures if not f.done()]
        for future in futures:
            future.result(timeout=HTTP_TIMEOUT * 3)
        return started, lateness


def parse_mix(text):
    mix = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        name = name.strip()
        if name not in OPERATIONS:
            sys.exit(f"--mix: unknown operation {name!r} (known: {', '.join(OPERATIONS)})")
        mix[name] = float(weight)
    if not mix or min(mix.values()) < 0 or sum(mix.values()) <= 0:
        sys.exit("--mix needs positive weights")
    return mix


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=600, help="seconds of measured traffic (after the warm-up)")
    ap.add_argument("--warmup", type=float, default=30, help="seconds of the same traffic before the first RSS reading")
    ap.add_argument("--rate", type=float, default=50, help="operations started per second (a sign-up is 3 requests)")
    ap.add_argument("--mix", default=DEFAULT_MIX, help=f"relative weights of the operations (default {DEFAULT_MIX})")
    ap.add_argument("--users", type=int, default=40, help="users signed up before the warm-up")
    ap.add_argument("--keep", type=int, default=30, help="most spendings a user keeps (a create beyond deletes)")
    ap.add_argument("--workers", type=int, default=16, help="client threads carrying the operations")
    ap.add_argument("--seed", type=int, default=20261202, help="random seed of the operation sequence")
    ap.add_argument("--rss-target", type=float, default=RSS_TARGET, help="largest RSS growth in per cent that passes")
    ap.add_argument("--keep-data", action="store_true", help="keep the temporary DATA_DIR and server log")
    args = ap.parse_args()
    mix = parse_mix(args.mix)
    if args.duration <= 0 or args.warmup < 0 or args.rate <= 0 or args.users < 1 or args.workers < 1 or args.keep < 1:
        sys.exit("need --duration > 0, --warmup >= 0, --rate > 0, --users >= 1, --workers >= 1, --keep >= 1")
    try:
        binary = binary_path(allow_debug=False)  # STRACKER_BIN, else .build/release/stracker
    except RuntimeError as e:
        sys.exit(str(e))

    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, on_signal)
    signal.alarm(int(args.duration + args.warmup + 300))

    work = Path(tempfile.mkdtemp(prefix="stracker-soak-"))
    data_dir = work / "data"
    data_dir.mkdir()
    # cwd = the temp folder: no developer's .env changes what is measured.
    server = Server(data_dir, binary=binary, cwd=work, own_session=True, TRUSTED_PROXIES="127.0.0.1")
    try:
        log(f"server {binary} on 127.0.0.1:{server.port}, DATA_DIR {data_dir}")
        server.start()
        soak = Soak(server, args)
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            for _ in pool.map(lambda _: soak.run_one("register"), range(args.users)):
                pass
            if soak.errors:
                raise RuntimeError(f"signing up the first users failed: {soak.error_samples[:3]}")
            log(f"{len(soak.users)} users signed up; warm-up: {args.warmup:g} s at {args.rate:g} operations/s")
            soak.traffic(args.warmup, mix, pool)
            warm_errors = sum(soak.errors.values())
            warm_samples = list(soak.error_samples)
            soak.reset_stats()
            time.sleep(1)
            rss_start = rss_kib(server.pid)
            log(f"server pid {server.pid}: VmRSS {rss_start} KiB after the warm-up ({warm_errors} errors in it); "
                f"measuring {args.duration:g} s")

            samples = [(0.0, rss_start)]
            stop = threading.Event()

            def sample():
                began = time.monotonic()
                while not stop.wait(10):
                    samples.append((time.monotonic() - began, rss_kib(server.pid)))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            began = time.monotonic()
            started, lateness = soak.traffic(args.duration, mix, pool)
            took = time.monotonic() - began
            stop.set()
            sampler.join(timeout=15)
        time.sleep(1)
        rss_end = rss_kib(server.pid)
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode} during the soak")

        errors = sum(soak.errors.values()) + warm_errors
        growth = (rss_end - rss_start) / rss_start * 100
        print()
        print(f"STracker bench/soak.py  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  {os.cpu_count()} CPUs  binary {binary}")
        print(f"{started} operations in {took:.1f} s = {started / took:.1f}/s (target {args.rate:g}/s, the latest "
              f"started {lateness * 1000:.0f} ms late), {soak.requests} requests = {soak.requests / took:.1f}/s, "
              f"{len(soak.users)} users at the end")
        print(f"{'operation':<10}{'done':>8}{'errors':>8}{'deferred':>10}{'p50':>10}{'p99':>10}{'max':>10}")
        for name in OPERATIONS:
            lat = soak.latency[name]
            print(f"{name:<10}{soak.done[name]:>8}{soak.errors[name]:>8}{soak.deferred[name]:>10}"
                  f"{percentile(lat, 0.5) * 1000:>8.1f}ms{percentile(lat, 0.99) * 1000:>8.1f}ms"
                  f"{(max(lat) if lat else float('nan')) * 1000:>8.1f}ms")
        trace = ", ".join(f"{t:.0f}s {kib / 1024:.1f}" for t, kib in samples if kib)
        print(f"VmRSS MiB over time: {trace}")
        rss_ok, errors_ok = growth < args.rss_target, errors == 0
        print(f"RSS start {rss_start / 1024:.1f} MiB, end {rss_end / 1024:.1f} MiB, growth {growth:+.1f} % "
              f"(target < {args.rss_target:g} %): {'MET' if rss_ok else 'NOT MET'}")
        print(f"errors {errors} ({warm_errors} in the warm-up) (target 0): {'MET' if errors_ok else 'NOT MET'}")
        for line in (warm_samples + soak.error_samples)[:10]:
            print(f"  {line}")
        return 0 if rss_ok and errors_ok else 1
    except (Exception, Abort, KeyboardInterrupt) as e:
        return report_failure("bench/soak.py", server, e)
    finally:
        wind_down(server, work, args.keep_data, log)


if __name__ == "__main__":
    sys.exit(main())
