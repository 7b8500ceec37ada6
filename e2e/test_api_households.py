"""Households over real HTTP: no route leaking or changing across households, roles in shared
funnels, handing a household over. Invites, settings, removing and leaving are tested in process
(Tests/AppTests/HouseholdTests.swift, AuthorizationTests.swift)."""

import time
import uuid

import pytest

from conftest import exact_json, register, token_payload

ALL_TIME = {"timestamp_from": -1, "timestamp_to": 253402300800000}  # exclusive bounds: every instant


def now_ms():
    return int(time.time() * 1000)


def invite(owner):
    answer = owner.post("/household/invite")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["code"] and body["expires_at"] > now_ms() + 23 * 3600 * 1000
    return body["code"]


def created(answer):
    assert answer.status_code == 201, answer.text
    return answer.json()


class Household:
    """Two members: `owner` and `member`, with shared and personal funnels and spendings in each."""

    def __init__(self, url, tag):
        self.owner = register(url, f"{tag}-owner-{uuid.uuid4().hex[:4]}")
        self.member = register(url, f"{tag}-member-{uuid.uuid4().hex[:4]}", invite=invite(self.owner))
        self.shared = [f["id"] for f in self.owner.get("/funnel/").json()]
        self.owner_personal = created(self.owner.post("/funnel/", {"name": f"{tag} mine", "limit": 10, "color": "red", "emoji": "🔒"}))
        self.member_personal = created(
            self.member.post("/funnel/", {"name": f"{tag} secret", "limit": 20, "color": "blue", "emoji": "🤫"}))
        self.member_shared = created(
            self.member.post("/funnel/", {"name": f"{tag} ours", "limit": 30, "color": "green", "emoji": "🏠", "shared": True}))
        stamp = now_ms() - 1
        self.spendings = {
            "owner_shared": created(self.owner.post("/spending/", {"amount": 1.11, "funnel_id": self.shared[0], "timestamp": stamp})),
            "member_shared": created(self.member.post("/spending/", {"amount": 2.22, "funnel_id": self.shared[1], "timestamp": stamp})),
            "owner_personal": created(self.owner.post("/spending/", {"amount": 3.33, "funnel_id": self.owner_personal, "timestamp": stamp})),
            "member_personal": created(
                self.member.post("/spending/", {"amount": 4.44, "funnel_id": self.member_personal, "timestamp": stamp})),
        }

    @property
    def funnels(self):
        return self.shared + [self.owner_personal, self.member_personal, self.member_shared]

    @property
    def people(self):
        return (self.owner, self.member)

    def snapshot(self):
        result = {}
        for person in self.people:
            result[person.username] = (
                exact_json(person.get("/funnel/")),
                exact_json(person.get("/spending/", params=ALL_TIME)),
                person.get("/household").json()["members"],
            )
        return result


@pytest.fixture
def two_households(server):
    return Household(server.url, "a"), Household(server.url, "b")


def test_members_see_shared_but_not_each_others_personal_funnels(two_households):
    a, _ = two_households
    owner_sees = {f["id"] for f in a.owner.get("/funnel/").json()}
    member_sees = {f["id"] for f in a.member.get("/funnel/").json()}
    assert owner_sees == set(a.shared) | {a.owner_personal, a.member_shared}
    assert member_sees == set(a.shared) | {a.member_personal, a.member_shared}
    owner_spendings = {s["id"] for s in a.owner.get("/spending/", params=ALL_TIME).json()}
    member_spendings = {s["id"] for s in a.member.get("/spending/", params=ALL_TIME).json()}
    assert owner_spendings == {a.spendings[k] for k in ("owner_shared", "member_shared", "owner_personal")}
    assert member_spendings == {a.spendings[k] for k in ("owner_shared", "member_shared", "member_personal")}
    # Each spending says who made it.
    users = {s["id"]: s["user"] for s in a.owner.get("/spending/", params=ALL_TIME).json()}
    assert users[a.spendings["member_shared"]] == a.member.username
    # Personal funnels of the other member: 404 on every route, as for a stranger.
    for who, funnel_id, spending_id in (
        (a.member, a.owner_personal, a.spendings["owner_personal"]),
        (a.owner, a.member_personal, a.spendings["member_personal"]),
    ):
        assert_no_access(who, funnel_id, spending_id)
    # A member cannot change the owner's shared funnel or spending (visible, so 403 rather than 404).
    assert a.member.put(f"/funnel/{a.shared[0]}", {"name": "mine"}).status_code == 403
    assert a.member.delete(f"/funnel/{a.shared[0]}").status_code == 403
    assert a.member.put(f"/spending/{a.spendings['owner_shared']}", {"amount": 9}).status_code == 403
    assert a.member.delete(f"/spending/{a.spendings['owner_shared']}").status_code == 403
    # The owner may change a member's spending in a shared funnel.
    assert a.owner.put(f"/spending/{a.spendings['member_shared']}", {"note": "checked"}).status_code == 204
    # The shared funnels' figures count every member's spendings; personal ones only their owner's.
    totals = {f["id"]: exact_json(a.member.get(f"/funnel/{f['id']}"))["spent"] for f in a.member.get("/funnel/").json()}
    assert str(totals[a.shared[0]]) == "1.11" and str(totals[a.shared[1]]) == "2.22"
    assert str(totals[a.member_personal]) == "4.44"


def assert_no_access(who, funnel_id, spending_id, own_funnel=None, own_spending=None):
    """Every route that names `funnel_id` or `spending_id` answers 404 for `who`."""
    funnel_404 = (404, "Funnel does not exist")
    spending_404 = (404, "Spending does not exist")

    def check(answer, expected, what):
        assert (answer.status_code, answer.json().get("detail")) == expected, (what, answer.text)

    check(who.get(f"/funnel/{funnel_id}"), funnel_404, "GET funnel")
    check(who.get(f"/funnel/{funnel_id.upper()}"), funnel_404, "GET funnel (upper case)")
    check(who.put(f"/funnel/{funnel_id}", {"name": "pwned", "limit": 0}), funnel_404, "PUT funnel")
    check(who.patch(f"/funnel/{funnel_id}", {"limit": 0}), funnel_404, "PATCH funnel")
    check(who.delete(f"/funnel/{funnel_id}"), funnel_404, "DELETE funnel")
    check(who.post("/spending/", {"amount": 1, "funnel_id": funnel_id}), funnel_404, "POST spending into it")
    check(who.post("/spending/", {"amount": 1, "funnel_id": funnel_id, "id": str(uuid.uuid4())}), funnel_404, "idempotent POST into it")
    check(who.get("/spending/", params={"funnel_id": funnel_id}), funnel_404, "list its spendings")
    check(who.put("/funnel/order", {"ids": [funnel_id]}), funnel_404, "reorder with it")
    check(who.get(f"/spending/{spending_id}"), spending_404, "GET spending")
    check(who.put(f"/spending/{spending_id}", {"amount": 1000}), spending_404, "PUT spending")
    check(who.patch(f"/spending/{spending_id}", {"note": "pwned"}), spending_404, "PATCH spending")
    check(who.delete(f"/spending/{spending_id}"), spending_404, "DELETE spending")
    if own_spending:
        check(who.put(f"/spending/{own_spending}", {"funnel_id": funnel_id}), funnel_404, "move own spending into it")
    # Taking over a foreign spending's id with an idempotent create neither reads nor changes it.
    if own_funnel:
        answer = who.post("/spending/", {"amount": 1, "funnel_id": own_funnel, "id": spending_id})
        assert answer.status_code in (404, 409), answer.text
        assert "detail" in answer.json()


def test_no_route_crosses_households(two_households, server):
    a, b = two_households
    before = a.snapshot()
    foreign_ids = set(a.funnels) | set(a.spendings.values())
    foreign_names = {a.owner.username, a.member.username}
    for person in b.people:
        own_funnel = b.shared[0]
        own_spending = b.spendings["owner_shared" if person is b.owner else "member_shared"]
        for funnel_id in a.funnels:
            assert_no_access(person, funnel_id, a.spendings["owner_shared"], own_funnel, own_spending)
        for spending_id in a.spendings.values():
            assert_no_access(person, a.shared[0], spending_id, own_funnel, own_spending)
        # Lists, overview, history and household show nothing of the other household.
        for path, params in (("/funnel/", None), ("/spending/", ALL_TIME), ("/overview", None), ("/history", None),
                             ("/household", None), ("/user/devices", None), ("/user/decode", None)):
            answer = person.get(path, params=params)
            assert answer.status_code == 200, (path, answer.text)
            assert not any(x in answer.text for x in foreign_ids | foreign_names), path
        # Members and devices of the other household.
        answer = person.delete(f"/household/members/{a.member.username}")
        assert answer.status_code in (403, 404), answer.text
        device = token_payload(a.owner.access)["sid"]
        assert person.delete(f"/user/devices/{device}").status_code == 404
    # The owner of B tries the owner routes against A's member: 404, the member stays in A.
    answer = b.owner.delete(f"/household/members/{a.member.username}")
    assert (answer.status_code, answer.json()["detail"]) == (404, "Member does not exist")
    # B changing its own household does not touch A's.
    assert b.owner.patch("/household", {"name": "B", "period_start_day": 3}).status_code == 200
    # An invite of B used by nobody; A's owner's tokens are still good.
    assert a.owner.get("/user/decode").status_code == 200
    assert a.snapshot() == before


def test_owner_leaving_hands_the_household_to_the_member(two_households):
    a, _ = two_households
    answer = a.owner.post("/household/leave")
    assert answer.status_code == 204, answer.text
    household = a.member.get("/household").json()
    assert household["role"] == "owner"
    assert [(m["username"], m["role"]) for m in household["members"]] == [(a.member.username, "owner")]
    # The new owner may now invite and change the shared funnels the old owner created.
    assert a.member.post("/household/invite").status_code == 201
    assert a.member.put(f"/funnel/{a.shared[0]}", {"limit": 1}).status_code == 204
    # The old owner's spendings in shared funnels stay, attributed to them; they see none of it any more.
    assert a.member.get(f"/spending/{a.spendings['owner_shared']}").json()["user"] == a.owner.username
    assert_no_access(a.owner, a.shared[0], a.spendings["member_shared"])
    assert [f["name"] for f in a.owner.get("/funnel/").json()] == ["Food", "Misc"]
