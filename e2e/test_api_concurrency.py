"""Concurrency (issue 10, item 13): two members of one household post 10 000 spendings from 8
keep-alive clients into one shared funnel, some of them retries of ids already stored. Every
write is serialised through SQLite's one writer; this proves none of that shows to a client: no
5xx, no "database is locked", no duplicate, and the funnel's total is exactly the sum of the
distinct spendings.

test_api_budget.py covers the small cases (50 identical posts at once, reads interleaved with
edits); this is the volume, on one funnel both members write to, with retries mixed in.
"""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import requests

from conftest import exact_json, register

CLIENTS = 8
TOTAL = 10_000
RETRY_EVERY = 50  # every 50th request of a client re-sends an id its member already stored, same body
CROSS_EVERY = 500  # every 500th re-sends the *other* member's id: the same id of another author is a 409
AFTER_LAST_MS = 253402300800000  # just past the last millisecond of 9999: the exclusive upper bound that takes in every instant
PAGE = 5000


def invite(owner):
    answer = owner.post("/household/invite")
    assert answer.status_code == 201, answer.text
    return answer.json()["code"]


def listed(account, funnel_id):
    """Every spending of the funnel, paged with `before` (each spending has its own timestamp)."""
    result, before = [], None
    while True:
        params = {"timestamp_from": -1, "timestamp_to": AFTER_LAST_MS, "limit": PAGE, "funnel_id": funnel_id}
        if before is not None:
            params["before"] = before
        answer = account.get("/spending/", params=params)
        assert answer.status_code == 200, answer.text
        page = exact_json(answer)
        result += page
        if len(page) < PAGE:
            return result
        before = page[-1]["timestamp"]


def test_two_members_ten_thousand_spendings_from_eight_clients(server):
    owner = register(server.url)
    member = register(server.url, invite=invite(owner))
    shared = [f for f in owner.get("/funnel/").json() if f["shared"]]
    funnel_id = shared[0]["id"]
    assert funnel_id in {f["id"] for f in member.get("/funnel/").json()}
    period = owner.get("/overview").json()["period"]
    # Each spending gets its own timestamp, all in this period and not after now.
    base = max(period["start"], int(time.time() * 1000) - TOTAL - 60_000)

    people = (owner, member)
    stored = ({}, {})  # per member: id -> body, once acknowledged
    lock = threading.Lock()
    problems = []  # (client, request number, status, body): anything that is not the expected answer
    counts = {"requests": 0, "created": 0, "retries": 0, "conflicts": 0}

    def client(c):
        who = c % 2
        account, mine, theirs = people[who], stored[who], stored[1 - who]
        http = requests.Session()
        headers = account.headers
        sent = 0
        for n in range(c, TOTAL, CLIENTS):  # this client's share of the 10 000 new spendings
            sent += 1
            replay = None
            with lock:
                if sent % CROSS_EVERY == 0 and theirs:
                    replay, expect = next(reversed(theirs.values())), 409
                elif sent % RETRY_EVERY == 0 and mine:
                    replay, expect = next(reversed(mine.values())), 201
            if replay is not None:
                answer = http.post(server.url + "/spending/", json=replay, headers=headers, timeout=30)
                check(c, n, answer, expect, replay["id"])
                with lock:
                    counts["requests"] += 1
                    counts["retries" if expect == 201 else "conflicts"] += 1
            cents = 1 + (n * 7919) % 99_999
            body = {"id": str(uuid.uuid4()), "amount": cents / 100, "funnel_id": funnel_id, "timestamp": base + n,
                    "note": f"c{c}"}
            answer = http.post(server.url + "/spending/", json=body, headers=headers, timeout=30)
            if check(c, n, answer, 201, body["id"]):
                with lock:
                    mine[body["id"]] = body
            with lock:
                counts["requests"] += 1
                counts["created"] += 1

    def check(c, n, answer, expect, spending_id):
        text = answer.text
        ok = answer.status_code == expect and "locked" not in text.lower() and (
            expect != 201 or answer.json() == spending_id)
        if not ok:
            with lock:
                problems.append((c, n, answer.status_code, text[:200]))
        return ok

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client, c) for c in range(CLIENTS)]:
            future.result()
    elapsed = time.monotonic() - started
    print(f"{counts['requests']} requests ({counts['created']} new, {counts['retries']} retries, "
          f"{counts['conflicts']} cross-member ids) from {CLIENTS} clients in {elapsed:.1f} s "
          f"= {counts['requests'] / elapsed:.0f}/s")

    server_errors = [p for p in problems if p[2] >= 500]
    assert not server_errors, f"{len(server_errors)} answers 5xx, e.g. {server_errors[:3]}"
    assert not problems, f"{len(problems)} unexpected answers, e.g. {problems[:5]}"
    share = TOTAL // CLIENTS
    assert counts["created"] == TOTAL
    assert counts["conflicts"] == CLIENTS * (share // CROSS_EVERY)
    assert counts["retries"] == CLIENTS * (share // RETRY_EVERY - share // CROSS_EVERY)

    expected = {**stored[0], **stored[1]}
    assert len(expected) == TOTAL
    total = sum(Decimal(str(body["amount"])) for body in expected.values())
    for account in people:
        spendings = listed(account, funnel_id)
        ids = [s["id"] for s in spendings]
        assert len(ids) == len(set(ids)), "a spending listed twice"
        assert set(ids) == set(expected)
        assert sum(s["amount"] for s in spendings) == total
        by_author = {s["id"]: s["user"] for s in spendings}
        assert {by_author[i] for i in stored[0]} == {owner.username}
        assert {by_author[i] for i in stored[1]} == {member.username}
        # The figures both members see: the funnel's own answer and the main screen.
        assert exact_json(account.get(f"/funnel/{funnel_id}"))["spent"] == total
        overview = exact_json(account.get("/overview"))
        assert next(f for f in overview["funnels"] if f["id"] == funnel_id)["spent"] == total
