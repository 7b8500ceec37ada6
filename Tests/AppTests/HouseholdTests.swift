import Foundation
import Storage
import Hummingbird
import Testing

@Suite struct HouseholdTests {
    @Test func aNewAccountOwnsAHouseholdOfOne() async throws {
        try await withApp(configure: { $0.timeZone = "Europe/Berlin"; $0.periodStartDay = 15; $0.currency = "CHF" }) { api in
            let account = try await api.register("alice")
            let household = try await api.household(account.access)
            #expect(household.name == "alice's household")
            #expect(household.currency == "CHF")
            #expect(household.periodStartDay == 15)
            #expect(household.timeZone == "Europe/Berlin")
            #expect(household.role == "owner")
            #expect(household.members == [.init(username: "alice", role: "owner")])
            #expect(try await api.overview(account.access).currency == "CHF")
        }
    }

    @Test func joiningByInvite() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let reply = try await api.post("/household/invite", token: alice.access)
            #expect(reply.status == .created)
            let code = try #require(reply.object?["code"] as? String)
            #expect(reply.object?["expires_at"] as? Int == Int(api.clock.millis + 24 * 3600 * 1000))

            let bob = try await api.register("bob", invite: code.lowercased())
            let household = try await api.household(bob.access)
            #expect(household.id == (try await api.household(alice.access)).id)
            #expect(household.role == "member")
            #expect(household.members == [.init(username: "alice", role: "owner"), .init(username: "bob", role: "member")])
            // No default funnels of his own: he sees the household's shared ones.
            #expect(try await api.funnels(bob.access) == (try await api.funnels(alice.access)))
            #expect(try await api.funnels(alice.access).count == 2)

            // One use only.
            let secret = OTPSecretHelper.make()
            let again = try await api.post(
                "/user/", json: ["username": "carol", "otp_secret": .string(secret.base32), "otp_example": .string(api.code(secret.bytes)), "invite": .string(code)])
            #expect(again.status == .badRequest)
            #expect(again.detail == "Invite code is invalid or expired")
            #expect(try await !api.stores.accounts.isUsernameTaken("carol"))
            let unknown = try await api.post(
                "/user/", json: ["username": "carol", "otp_secret": .string(secret.base32), "otp_example": .string(api.code(secret.bytes)), "invite": "NOPE"])
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func anInviteExpiresAfter24Hours() async throws {
        try await withApp { api in
            let start = api.clock.now
            let alice = try await api.register("alice")
            let early = try await api.invite(alice.access)
            let earlyToo = try await api.invite(alice.access)
            api.clock.advance(3600)
            let late = try await api.invite(try await api.login(alice).access)
            api.clock.set(start.addingTimeInterval(24 * 3600 - 1))
            _ = try await api.register("dave", invite: earlyToo)
            api.clock.advance(1)
            // At 24 h the early invite is over; the later one has an hour left.
            _ = try await api.register("bob", invite: late)
            let secret = OTPSecretHelper.make()
            let expired = try await api.post(
                "/user/", json: ["username": "carol", "otp_secret": .string(secret.base32), "otp_example": .string(api.code(secret.bytes)), "invite": .string(early)])
            #expect(expired.status == .badRequest)
            #expect(expired.detail == "Invite code is invalid or expired")
        }
    }

    @Test func onlyTheOwnerInvitesAndChangesSettings() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let invite = try await api.post("/household/invite", token: bob.access)
            #expect(invite.status == .forbidden)
            #expect(invite.detail == "Only the household owner can do this")
            let patch = try await api.patch("/household", token: bob.access, json: ["name": "Bob's now"])
            #expect(patch.status == .forbidden)
            #expect(try await api.household(alice.access).name == "alice's household")
            #expect(try await api.delete("/household/members/alice", token: bob.access).status == .forbidden)
        }
    }

    @Test func theOwnerChangesSettings() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let reply = try await api.patch(
                "/household/", token: alice.access,
                json: ["name": " Home ", "period_start_day": 28, "time_zone": "America/New_York", "currency": "usd"])
            #expect(reply.status == .ok)
            let household: Household = try reply.decode()
            #expect(household.name == "Home")
            #expect(household.periodStartDay == 28)
            #expect(household.timeZone == "America/New_York")
            #expect(household.currency == "USD")
            #expect(try await api.household(alice.access) == household)
            #expect(try await api.overview(alice.access).currency == "USD")
        }
    }

    static let badPatches: [(String, JSON)] = [
        ("period_start_day", 29), ("period_start_day", 0), ("period_start_day", -1), ("period_start_day", "1"),
        ("time_zone", "Mars/Olympus"), ("time_zone", ""), ("time_zone", "GMT+5"), ("time_zone", "../../etc/passwd"),
        ("currency", "JPY"), ("currency", "EURO"), ("currency", "€UR"), ("name", ""), ("name", .string(String(repeating: "h", count: 65))),
    ]

    @Test(arguments: badPatches)
    func badSettingsAreRefused(field: String, value: JSON) async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let before = try await api.household(alice.access)
            let reply = try await api.patch("/household", token: alice.access, json: [field: value])
            #expect(reply.isValidationList, "\(reply)")
            #expect(reply.issues.first?.loc == ["body", field])
            #expect(try await api.household(alice.access) == before)
        }
    }

    @Test func theOwnerRemovesAMember() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let food = try await api.funnels(alice.access)[0].id
            let bobsOwn = try await api.createFunnel(bob.access, name: "Bob's")
            let inShared = try await api.createSpending(bob.access, funnel: food, amount: "12")
            let inOwn = try await api.createSpending(bob.access, funnel: bobsOwn, amount: "34")

            #expect(try await api.delete("/household/members/nobody", token: alice.access).status == .notFound)
            let selfRemoval = try await api.delete("/household/members/alice", token: alice.access)
            #expect(selfRemoval.status == .conflict)
            #expect(try await api.delete("/household/members/BOB", token: alice.access).status == .noContent)

            #expect(try await api.household(alice.access).members == [.init(username: "alice", role: "owner")])
            // Bob's spending in the shared funnel stays, still his.
            let kept: Spending = try await api.get("/spending/\(inShared)", token: alice.access).decode()
            #expect(kept.user == "bob")
            #expect(try await api.funnel(food, alice.access).spent == 12)
            // Bob is now in a household of his own, with its defaults, and reaches nothing of Alice's.
            let his = try await api.household(bob.access)
            #expect(his.members == [.init(username: "bob", role: "owner")])
            #expect(try await api.funnels(bob.access).map(\.name) == ["Food", "Misc"])
            #expect(try await api.get("/funnel/\(food)", token: bob.access).status == .notFound)
            #expect(try await api.get("/funnel/\(bobsOwn)", token: bob.access).status == .notFound)
            #expect(try await api.get("/spending/\(inShared)", token: bob.access).status == .notFound)
            #expect(try await api.get("/spending/\(inOwn)", token: bob.access).status == .notFound)
            #expect(try await api.spendings(bob.access).isEmpty)
            // His personal funnel went with its spendings.
            #expect(try await api.stores.database.pool.read { db in try FunnelRecord.fetchOne(db, key: bobsOwn) } == nil)
            #expect(try await api.spendings(alice.access).map(\.id) == [inShared])
        }
    }

    @Test func aMemberLeaves() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let food = try await api.funnels(alice.access)[0].id
            let inShared = try await api.createSpending(bob.access, funnel: food, amount: "5")
            #expect(try await api.post("/household/leave", token: bob.access).status == .noContent)
            #expect(try await api.household(alice.access).members.map(\.username) == ["alice"])
            #expect(try await api.household(bob.access).role == "owner")
            #expect(try await api.get("/spending/\(inShared)", token: alice.access).decode(Spending.self).user == "bob")
            #expect(try await api.get("/funnel/\(food)", token: bob.access).status == .notFound)
            // The last member cannot leave.
            #expect(try await api.post("/household/leave", token: bob.access).status == .conflict)
        }
    }

    @Test func whenTheOwnerLeavesTheLongestStandingMemberOwns() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            api.clock.advance(1)
            let carol = try await api.register("carol", invite: try await api.invite(alice.access))
            let sharedByAlice = try await api.createFunnel(alice.access, name: "Trips", shared: true)
            #expect(try await api.post("/household/leave", token: alice.access).status == .noContent)
            let household = try await api.household(bob.access)
            #expect(household.members == [.init(username: "bob", role: "owner"), .init(username: "carol", role: "member")])
            #expect(household.role == "owner")
            // The shared funnel Alice made stays with the household.
            #expect(try await api.funnel(sharedByAlice, carol.access).owner == "bob")
            #expect(try await api.post("/household/invite", token: bob.access).status == .created)
            #expect(try await api.post("/household/invite", token: carol.access).status == .forbidden)
        }
    }
}

import TOTP

enum OTPSecretHelper {
    static func make() -> (bytes: [UInt8], base32: String) {
        let bytes = OTPSecret.generate()
        return (bytes, Base32.encode(bytes))
    }
}
