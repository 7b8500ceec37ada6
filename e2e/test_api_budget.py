"""Funnels and spendings end to end over real HTTP: figures on the real clock and with the
settings from the environment, exact money at its edges, validation answers, concurrent writes
and idempotent retries over many connections. The rules themselves (defaults, CRUD, colors,
emoji, sums, history) are tested in process (Tests/AppTests/FunnelTests.swift, SpendingTests.swift)."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import requests

from conftest import exact_json, register

ALL_TIME = {"timestamp_from": -1, "timestamp_to": 253402300800000}  # exclusive bounds: every instant


def now_ms():
    return int(time.time() * 1000)


def new_funnel(account, **fields):
    body = {"name": "Fun", "limit": 100, "color": "#123456", "emoji": "🎉", **fields}
    answer = account.post("/funnel/", body)
    assert answer.status_code == 201, answer.text
    funnel_id = answer.json()
    assert isinstance(funnel_id, str)
    uuid.UUID(funnel_id)
    return funnel_id


def new_spending(account, funnel_id, amount=1, **fields):
    answer = account.post("/spending/", {"amount": amount, "funnel_id": funnel_id, **fields})
    assert answer.status_code == 201, answer.text
    spending_id = answer.json()
    assert isinstance(spending_id, str)
    return spending_id


def funnel(account, funnel_id):
    answer = account.get(f"/funnel/{funnel_id}")
    assert answer.status_code == 200, answer.text
    return exact_json(answer)


def assert_validation_error(answer, field=None):
    assert answer.status_code == 422, answer.text
    problems = answer.json()["detail"]
    assert isinstance(problems, list) and problems
    for problem in problems:
        assert {"loc", "msg", "type"} <= set(problem)
        assert isinstance(problem["loc"], list)
    if field is not None:
        assert any(problem["loc"][-1] == field for problem in problems), problems


# --- funnels --------------------------------------------------------------------------------


def test_funnel_validation(account):
    good = {"name": "Fine", "limit": 1, "color": "red", "emoji": "🎉"}
    for field, value in (
        ("name", ""), ("name", "   "), ("name", "n" * 65), ("name", 5), ("name", None),
        ("limit", -1), ("limit", -0.01), ("limit", 12.345), ("limit", "abc"), ("limit", 100000000000.01),
        ("limit", True), ("limit", None), ("limit", [1]),
        ("color", "#12"), ("color", "notacolor"), ("color", "rgb(256, 0, 0)"), ("color", 123),
        ("emoji", 1), ("shared", "yes"), ("position", "first"),
    ):
        answer = account.post("/funnel/", {**good, field: value})
        assert answer.status_code == 422, (field, value, answer.text)
        assert_validation_error(answer, field)
    for field in ("name", "limit", "color", "emoji"):
        body = dict(good)
        del body[field]
        assert_validation_error(account.post("/funnel/", body), field)
    # A failed create stored nothing.
    assert len(account.get("/funnel/").json()) == 2
    # The same checks on edit, and a failed edit changes nothing.
    funnel_id = account.get("/funnel/").json()[0]["id"]
    before = account.get(f"/funnel/{funnel_id}").json()
    for field, value in (("name", ""), ("limit", -1), ("limit", 0.001), ("color", "nope"), ("emoji", "123456789"), ("emoji", "a\nb")):
        assert_validation_error(account.put(f"/funnel/{funnel_id}", {"name": "Changed", field: value}), field)
    assert account.get(f"/funnel/{funnel_id}").json() == before
    # Name of exactly 64 characters and a limit of 0 are fine.
    new_funnel(account, name="n" * 64, limit=0)


def test_allowance_figures_follow_the_formulas(account):
    funnel_id = new_funnel(account, limit=300)
    new_spending(account, funnel_id, 45.67)
    overview = exact_json(account.get("/overview"))
    period = overview["period"]
    assert period["start"] <= now_ms() < period["end"]
    length, after = period["length"], period["days_after_today"]
    assert 28 <= length <= 31 and 0 <= after < length
    f = next(x for x in overview["funnels"] if x["id"] == funnel_id)
    remaining = Decimal(300) - Decimal("45.67")
    assert f["remaining"] == remaining
    assert abs(f["daily"] - (remaining - Decimal(300) * after / length)) <= Decimal("0.01")
    assert abs(f["per_day"] - remaining / (after + 1)) <= Decimal("0.01")
    if after:
        assert Decimal(0) <= remaining / after - f["per_day_from_tomorrow"] < Decimal("0.01")
    else:
        assert "per_day_from_tomorrow" not in f
    assert overview["currency"] == "EUR"
    assert [s["amount"] for s in overview["recent"]] == [Decimal("45.67")]
    # Every figure is money: at most the currency's two decimals.
    for key in ("limit", "spent", "remaining", "daily", "per_day", "per_day_from_tomorrow"):
        if key in f:
            assert Decimal(f[key]).as_tuple().exponent >= -2, (key, f[key])


# --- money ----------------------------------------------------------------------------------


def test_too_many_decimals_rejected(account):
    funnel_id = new_funnel(account)
    for amount in (12.345, 0.001, 1.0000001):
        assert_validation_error(account.post("/spending/", {"amount": amount, "funnel_id": funnel_id}), "amount")
    # Trailing zeros are not extra precision.
    answer = requests.post(
        account.url + "/spending/", data=f'{{"amount": 12.340, "funnel_id": "{funnel_id}"}}',
        headers={**account.headers, "Content-Type": "application/json"}, timeout=10,
    )
    assert answer.status_code == 201, answer.text
    assert exact_json(account.get(f"/spending/{answer.json()}"))["amount"] == Decimal("12.34")
    assert funnel(account, funnel_id)["spent"] == Decimal("12.34")


def test_large_amounts_are_exact(account):
    funnel_id = new_funnel(account, limit=99999999999.99)
    assert funnel(account, funnel_id)["limit"] == Decimal("99999999999.99")
    ids = [new_spending(account, funnel_id, 99999999999.99) for _ in range(3)]
    assert exact_json(account.get(f"/spending/{ids[0]}"))["amount"] == Decimal("99999999999.99")
    f = funnel(account, funnel_id)
    assert f["spent"] == Decimal("299999999999.97")
    assert f["remaining"] == Decimal("-199999999999.98")
    raw = account.get(f"/funnel/{funnel_id}").text
    assert "99999999999.99" in raw and "e+" not in raw.lower()
    # Beyond 10^13 minor units: rejected, both ways.
    for amount in (100000000000.01, -100000000000.01, 1e15):
        assert_validation_error(account.post("/spending/", {"amount": amount, "funnel_id": funnel_id}), "amount")
    # Beyond what a Decimal holds: still a 422 in the list shape (the location may be the body).
    assert_validation_error(account.post("/spending/", {"amount": 1e300, "funnel_id": funnel_id}))
    # Exactly 10^13 minor units is the largest accepted.
    assert exact_json(account.get(f"/spending/{new_spending(account, funnel_id, 100000000000)}"))["amount"] == Decimal("100000000000")


# --- spendings ------------------------------------------------------------------------------


def test_spending_create_read_edit_delete(account):
    food, misc = [f["id"] for f in account.get("/funnel/").json()]
    stamp = now_ms() - 1000
    spending_id = new_spending(account, food, 12.5, timestamp=stamp, note="  bread ")
    answer = account.get(f"/spending/{spending_id}")
    assert answer.status_code == 200, answer.text
    s = exact_json(answer)
    assert (s["id"], s["amount"], s["timestamp"], s["funnel_id"], s["note"], s["user"]) == (
        spending_id, Decimal("12.5"), stamp, food, "bread", account.username)
    listed = exact_json(account.get("/spending/"))
    assert [x["id"] for x in listed] == [spending_id]
    assert funnel(account, food)["spent"] == Decimal("12.5")

    answer = account.put(f"/spending/{spending_id}", {"amount": 20, "funnel_id": misc, "note": "cake"})
    assert answer.status_code == 204, answer.text
    s = exact_json(account.get(f"/spending/{spending_id}"))
    assert (s["amount"], s["funnel_id"], s["note"], s["timestamp"]) == (20, misc, "cake", stamp)
    assert funnel(account, food)["spent"] == 0 and funnel(account, misc)["spent"] == 20
    assert account.patch(f"/spending/{spending_id}", {"amount": 21}).status_code == 204
    assert funnel(account, misc)["spent"] == 21

    answer = account.delete(f"/spending/{spending_id}")
    assert answer.status_code == 204, answer.text
    for method in ("get", "put", "delete"):
        answer = getattr(account, method)(f"/spending/{spending_id}", **({"json": {"amount": 1}} if method == "put" else {}))
        assert (answer.status_code, answer.json()["detail"]) == (404, "Spending does not exist"), method
    assert funnel(account, misc)["spent"] == 0


def test_spending_default_timestamp_and_listing_bounds(account):
    food = account.get("/funnel/").json()[0]["id"]
    before = now_ms()
    spending_id = new_spending(account, food, 1)
    stamp = account.get(f"/spending/{spending_id}").json()["timestamp"]
    assert before - 1000 <= stamp <= now_ms() + 1000
    old = new_spending(account, food, 2, timestamp=86_400_000)  # 2 Jan 1970
    future = new_spending(account, food, 3, timestamp=253402300799999)  # the last ms of 9999
    # Default: this period up to now.
    assert [s["id"] for s in account.get("/spending/").json()] == [spending_id]
    # Old and future spendings do not count in this period's figures.
    assert funnel(account, food)["spent"] == 1
    listed = account.get("/spending/", params=ALL_TIME).json()
    assert [s["id"] for s in listed] == [future, spending_id, old]  # newest first
    # Both bounds are exclusive, as in the old API.
    listed = account.get("/spending/", params={"timestamp_from": 0, "timestamp_to": 86_400_001}).json()
    assert [s["id"] for s in listed] == [old]
    assert account.get("/spending/", params={"timestamp_from": 0, "timestamp_to": 86_400_000}).json() == []
    assert account.get("/spending/", params={"timestamp_from": 86_400_000, "timestamp_to": 86_400_001}).json() == []
    assert len(account.get("/spending/", params={**ALL_TIME, "limit": 2}).json()) == 2
    assert [s["id"] for s in account.get("/spending/", params={**ALL_TIME, "before": stamp}).json()] == [old]
    for params in ({"timestamp_from": "yesterday"}, {"limit": 0}, {"limit": "many"}, {"funnel_id": "no pe"}, {"timestamp_to": 1.5}):
        answer = account.get("/spending/", params=params)
        assert answer.status_code == 422 and "detail" in answer.json(), (params, answer.text)
    answer = account.get("/spending/", params={"funnel_id": str(uuid.uuid4())})
    assert (answer.status_code, answer.json()["detail"]) == (404, "Funnel does not exist")


def test_spending_validation(account):
    food = account.get("/funnel/").json()[0]["id"]
    good = {"amount": 1, "funnel_id": food}
    for field, value in (
        ("amount", "1"), ("amount", None), ("amount", [1]), ("amount", {"a": 1}), ("amount", True),
        ("timestamp", -1), ("timestamp", 253402300800000), ("timestamp", 1.5), ("timestamp", "now"),
        ("funnel_id", "not a uuid"), ("funnel_id", "17/18"), ("funnel_id", 7), ("note", "n" * 501), ("note", 5), ("id", "not-a-uuid"),
    ):
        answer = account.post("/spending/", {**good, field: value})
        assert answer.status_code == 422, (field, value, answer.text)
        assert_validation_error(answer, field)
    for field in ("amount", "funnel_id"):
        body = dict(good)
        del body[field]
        assert_validation_error(account.post("/spending/", body), field)
    # A UUID, or an id the old app gave (kept by the import), that names no funnel of the caller's.
    for unknown in (str(uuid.uuid4()), "17", "not-a-uuid"):
        answer = account.post("/spending/", {"amount": 1, "funnel_id": unknown})
        assert (answer.status_code, answer.json()["detail"]) == (404, "Funnel does not exist")
    assert account.get("/spending/", params=ALL_TIME).json() == []
    new_spending(account, food, 1, note="n" * 500, timestamp=0)


# --- idempotent creates ---------------------------------------------------------------------


def concurrent_posts(account, body, count=50):
    barrier = threading.Barrier(count)

    def send(_):
        barrier.wait()
        return requests.post(account.url + "/spending/", json=body, headers=account.headers, timeout=30)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(send, range(count)))


def test_fifty_concurrent_identical_posts_store_one(account):
    food = account.get("/funnel/").json()[0]["id"]
    client_id = str(uuid.uuid4())
    body = {"id": client_id, "amount": 9.99, "funnel_id": food, "timestamp": now_ms(), "note": "once"}
    answers = concurrent_posts(account, body)
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers if a.status_code != 201][:3]
    assert {a.json() for a in answers} == {client_id}
    stored = account.get("/spending/", params=ALL_TIME).json()
    assert [s["id"] for s in stored] == [client_id]
    assert funnel(account, food)["spent"] == Decimal("9.99")
    # Upper-case spelling of the same UUID is the same id.
    again = account.post("/spending/", {**body, "id": client_id.upper()})
    assert (again.status_code, again.json()) == (201, client_id)
    assert len(account.get("/spending/", params=ALL_TIME).json()) == 1


def test_same_id_other_body_is_409(account):
    food, misc = [f["id"] for f in account.get("/funnel/").json()]
    client_id = str(uuid.uuid4())
    body = {"id": client_id, "amount": 5, "funnel_id": food, "timestamp": now_ms()}
    assert account.post("/spending/", body).status_code == 201
    for change in ({"amount": 6}, {"funnel_id": misc}, {"timestamp": body["timestamp"] + 1}, {"note": "other"}):
        answer = account.post("/spending/", {**body, **change})
        assert answer.status_code == 409 and "detail" in answer.json(), (change, answer.text)
    stored = exact_json(account.get(f"/spending/{client_id}"))
    assert (stored["amount"], stored["funnel_id"]) == (5, food)


def test_notes_are_stored_exactly_or_refused(account):
    """A note is either kept exactly as sent (after trimming its ends) or refused with 422 — never
    silently cut short. A NUL character today cuts the note at that point (SQLite text bound as a
    C string), and then an idempotent retry of the same body is answered 409."""
    food = account.get("/funnel/").json()[0]["id"]
    for note in ("two\nlines", "tab\there", "🇩🇪 façade ‮rtl", "e\u0301" * 250, "abc\u0000def", "\u0000", "x\u0007y"):
        client_id = str(uuid.uuid4())
        body = {"id": client_id, "amount": 1, "funnel_id": food, "note": note, "timestamp": now_ms()}
        answer = account.post("/spending/", body)
        if answer.status_code == 422:
            assert_validation_error(answer, "note")
            continue
        assert answer.status_code == 201, (note, answer.text)
        stored = account.get(f"/spending/{client_id}").json()["note"]
        assert stored == note.strip(), (note, stored)
        retry = account.post("/spending/", body)
        assert retry.status_code == 201, (note, retry.text)


def expected_period(zone_name, start_day, now=None):
    """The budget period containing now, as docs/architecture.md defines it, computed independently."""
    import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    today = (now or datetime.datetime.now(zone)).date()
    first = today.replace(day=start_day) if today.day >= start_day else (
        (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=start_day))
    following = (first.replace(day=28) + datetime.timedelta(days=10)).replace(day=start_day)

    def midnight(day):
        return int(datetime.datetime(day.year, day.month, day.day, tzinfo=zone).timestamp() * 1000)

    return {"start": midnight(first), "end": midnight(following), "length": (following - first).days,
            "days_after_today": (following - today).days - 1}


@pytest.mark.parametrize("zone, day", [("America/New_York", 15), ("Pacific/Kiritimati", 28), ("Pacific/Pago_Pago", 1)])
def test_period_follows_the_household_zone_and_start_day(make_server, zone, day):
    server = make_server(PERIOD_START_DAY=str(day), TIME_ZONE=zone)
    account = register(server.url)
    household = account.get("/household").json()
    assert (household["time_zone"], household["period_start_day"]) == (zone, day)
    overview = exact_json(account.get("/overview"))
    assert overview["period"] == expected_period(zone, day)
    # Changing the settings changes the period at once.
    answer = account.patch("/household", {"period_start_day": 7, "time_zone": "Europe/Berlin"})
    assert answer.status_code == 200, answer.text
    period = exact_json(account.get("/overview"))["period"]
    assert period == expected_period("Europe/Berlin", 7)
    # And the figures with it: daily = remaining - limit * days_after_today / length.
    food = account.get("/funnel/").json()[0]["id"]
    new_spending(account, food, 100)
    f = funnel(account, food)
    remaining = Decimal(1900)
    assert f["remaining"] == remaining
    assert abs(f["daily"] - (remaining - Decimal(2000) * period["days_after_today"] / period["length"])) <= Decimal("0.01")
    assert abs(f["per_day"] - remaining / (period["days_after_today"] + 1)) <= Decimal("0.01")


def test_overview_recent_is_the_last_twenty(account):
    food, misc = [f["id"] for f in account.get("/funnel/").json()]
    base = now_ms() - 100_000
    ids = [new_spending(account, food if i % 2 else misc, i + 1, timestamp=base + i) for i in range(25)]
    overview = exact_json(account.get("/overview"))
    assert [s["id"] for s in overview["recent"]] == ids[::-1][:20]
    assert overview["username"] == account.username
    totals = {f["id"]: f["spent"] for f in overview["funnels"]}
    assert totals[food] == sum(i + 1 for i in range(25) if i % 2)
    assert totals[misc] == sum(i + 1 for i in range(25) if not i % 2)


def test_totals_stay_exact_under_concurrent_writes_and_reads(account):
    """Sums (and any cache of them) stay exact while writes and reads interleave."""
    funnel_id = new_funnel(account, limit=1000)
    stop = threading.Event()
    seen = []

    def read():
        session = requests.Session()
        while not stop.is_set():
            seen.append(exact_json(session.get(account.url + f"/funnel/{funnel_id}", headers=account.headers, timeout=30))["spent"])

    def write(i):
        session = requests.Session()
        answer = session.post(account.url + "/spending/", json={"amount": 0.01, "funnel_id": funnel_id},
                              headers=account.headers, timeout=30)
        assert answer.status_code == 201, answer.text
        if i % 3 == 0:  # some are changed, some removed again
            assert session.put(account.url + f"/spending/{answer.json()}", json={"amount": 0.02},
                               headers=account.headers, timeout=30).status_code == 204
        if i % 5 == 0:
            assert session.delete(account.url + f"/spending/{answer.json()}", headers=account.headers,
                                  timeout=30).status_code == 204

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    with ThreadPoolExecutor(12) as pool:
        list(pool.map(write, range(150)))
    stop.set()
    for thread in readers:
        thread.join()
    expected = sum(Decimal("0") if i % 5 == 0 else Decimal("0.02") if i % 3 == 0 else Decimal("0.01") for i in range(150))
    assert funnel(account, funnel_id)["spent"] == expected
    assert exact_json(account.get("/overview"))["funnels"][-1]["spent"] == expected
    listed = exact_json(account.get("/spending/", params={**ALL_TIME, "funnel_id": funnel_id}))
    assert sum(s["amount"] for s in listed) == expected
    assert all(0 <= value <= Decimal("2.40") for value in seen)


def test_currency_without_decimals(make_server):
    server = make_server(CURRENCY="JPY")
    account = register(server.url)
    assert account.get("/household").json()["currency"] == "JPY"
    # The default funnels are 2000 in the household's currency (not 2000 x 100 minor units read as yen).
    assert [f["limit"] for f in exact_json(account.get("/funnel/"))] == [2000, 2000]
    food = account.get("/funnel/").json()[0]["id"]
    assert_validation_error(account.post("/spending/", {"amount": 1.5, "funnel_id": food}), "amount")
    assert_validation_error(account.post("/funnel/", {"name": "x", "limit": 0.5, "color": "red", "emoji": "🍣"}), "limit")
    new_spending(account, food, 1234)
    f = funnel(account, food)
    assert (f["spent"], f["remaining"]) == (1234, 2000 - 1234)
    for key in ("daily", "per_day"):
        assert Decimal(f[key]) == Decimal(f[key]).to_integral_value(), (key, f[key])
    # Large yen amounts: 10^13 minor units is ten trillion yen.
    assert exact_json(account.get(f"/spending/{new_spending(account, food, 9999999999999)}"))["amount"] == 9999999999999
    assert_validation_error(account.post("/spending/", {"amount": 10000000000001, "funnel_id": food}), "amount")


