"""Memory the server gives back (ProcessMemory): once serving, the executable's code pages that
starting faulted in are released, again after 10 s without a request, and the code still runs. The figures (idle and peak RSS) are
measured by bench/memory.py; this only checks that the release happens and is harmless."""

import os
import time
from decimal import Decimal

from conftest import exact_json, register


def code_kib(pid: int) -> tuple[int, int]:
    """(resident, mapped) KiB of the executable's read-only code mappings (r-xp in smaps)."""
    exe = os.readlink(f"/proc/{pid}/exe")
    resident = mapped = 0
    current = None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
                start, end = (int(x, 16) for x in fields[0].split("-"))
                current = fields[1] == "r-xp" and len(fields) >= 6 and " ".join(fields[5:]) == exe
                if current:
                    mapped += (end - start) // 1024
            elif current and fields[0] == "Rss:":
                resident += int(fields[1])
    return resident, mapped


def use_every_path(server):
    """Sign-up, a funnel, spendings, the list, the overview and the history; checks the answers."""
    alice = register(server.url)
    funnel = alice.post("/funnel/", {"name": "Food", "limit": 300, "color": "teal", "emoji": "🍞"}).json()
    now = int(time.time() * 1000)
    ids = [alice.post("/spending/", {"amount": a, "funnel_id": funnel, "timestamp": now - i}).json()
           for i, a in enumerate((12.5, 0.01, 7))]
    listed = exact_json(alice.get("/spending/"))
    assert sorted(s["id"] for s in listed) == sorted(ids)
    overview = exact_json(alice.get("/overview"))
    assert [f["spent"] for f in overview["funnels"] if f["id"] == funnel] == [Decimal("19.51")]
    history = exact_json(alice.get("/history", params={"periods": 3}))
    assert len(history["periods"]) == 3
    assert [f["spent"] for f in history["periods"][-1]["funnels"] if f["id"] == funnel] == [Decimal("19.51")]
    assert server.process.poll() is None


def test_startup_code_pages_are_released_and_requests_still_run(server):
    resident, mapped = code_kib(server.pid)
    assert mapped > 4096, f"no code mapping of the executable found: {mapped} KiB"
    # Starting touches about half of the code (Foundation, the migrations, BoringSSL, the
    # router: 25 of 48 MiB measured without the release); after it only what the readiness
    # requests used comes back (7 MiB).
    assert resident < 0.35 * mapped, f"{resident} of {mapped} KiB of code resident: the startup pages were not released"
    # Every path the released pages served must fault back in correctly.
    use_every_path(server)


def test_a_quiet_server_releases_again_and_requests_still_run(server):
    use_every_path(server)
    resident, mapped = code_kib(server.pid)
    # Quiet: within one to two 10 s intervals the code the requests brought back is released.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and code_kib(server.pid)[0] >= resident * 0.8:
        time.sleep(0.5)
    after, _ = code_kib(server.pid)
    assert after < resident * 0.8, f"{after} KiB of code resident after 30 s of quiet (was {resident} of {mapped})"
    use_every_path(server)
