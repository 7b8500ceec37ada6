import Foundation
import Hummingbird
import Testing

/// Two households of two members each: nobody reaches what they may not see, on any route.
@Suite struct AuthorizationTests {
    struct Household: Sendable {
        let owner: Account
        let member: Account
        let shared: String
        let ownerPersonal: String
        let memberPersonal: String
        let ownerSharedSpending: String
        let memberSharedSpending: String
        let ownerPersonalSpending: String
        let memberPersonalSpending: String

        var funnels: [String] { [shared, ownerPersonal, memberPersonal] }
        var spendings: [String] { [ownerSharedSpending, memberSharedSpending, ownerPersonalSpending, memberPersonalSpending] }
    }

    static func makeHousehold(_ api: API, _ prefix: String) async throws -> Household {
        let owner = try await api.register("\(prefix)-owner")
        let member = try await api.register("\(prefix)-member", invite: try await api.invite(owner.access))
        let shared = try await api.funnels(owner.access)[0].id
        let ownerPersonal = try await api.createFunnel(owner.access, name: "\(prefix) owner's")
        let memberPersonal = try await api.createFunnel(member.access, name: "\(prefix) member's")
        return Household(
            owner: owner, member: member, shared: shared, ownerPersonal: ownerPersonal, memberPersonal: memberPersonal,
            ownerSharedSpending: try await api.createSpending(owner.access, funnel: shared, amount: "10", note: "o"),
            memberSharedSpending: try await api.createSpending(member.access, funnel: shared, amount: "20", note: "m"),
            ownerPersonalSpending: try await api.createSpending(owner.access, funnel: ownerPersonal, amount: "30"),
            memberPersonalSpending: try await api.createSpending(member.access, funnel: memberPersonal, amount: "40"))
    }

    /// Everything both members of a household see, as text, to compare before and after.
    static func snapshot(_ api: API, _ household: Household) async throws -> [String] {
        var texts: [String] = []
        for account in [household.owner, household.member] {
            for path in ["/funnel/", "/spending/?timestamp_from=0", "/overview", "/household", "/history?periods=2"] {
                let reply = try await api.get(path, token: account.access)
                try #require(reply.status == .ok, "\(path): \(reply)")
                texts.append(reply.text)
            }
        }
        return texts
    }

    /// Every way `intruder` could reach the funnels and spendings named: all answer 404.
    static func expectUnreachable(
        _ api: API, by intruder: Account, funnels: [String], spendings: [String], ownFunnel: String, ownSpending: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let token = intruder.access
        func expectFunnelNotFound(_ reply: Reply, _ what: String) {
            #expect(reply.status == .notFound, "\(what): \(reply)", sourceLocation: sourceLocation)
            #expect(reply.detail == "Funnel does not exist", "\(what): \(reply)", sourceLocation: sourceLocation)
        }
        func expectSpendingNotFound(_ reply: Reply, _ what: String) {
            #expect(reply.status == .notFound, "\(what): \(reply)", sourceLocation: sourceLocation)
            #expect(reply.detail == "Spending does not exist", "\(what): \(reply)", sourceLocation: sourceLocation)
        }
        for funnel in funnels {
            expectFunnelNotFound(try await api.get("/funnel/\(funnel)", token: token), "GET funnel")
            expectFunnelNotFound(try await api.put("/funnel/\(funnel)", token: token, json: ["limit": 1, "name": "pwned"]), "PUT funnel")
            expectFunnelNotFound(try await api.patch("/funnel/\(funnel)", token: token, json: ["shared": true]), "PATCH funnel")
            expectFunnelNotFound(try await api.delete("/funnel/\(funnel)", token: token), "DELETE funnel")
            expectFunnelNotFound(try await api.put("/funnel/order", token: token, json: ["ids": [.string(funnel)]]), "reorder")
            expectFunnelNotFound(try await api.post("/spending/", token: token, json: ["amount": 1, "funnel_id": .string(funnel)]), "POST spending")
            expectFunnelNotFound(
                try await api.post("/spending/", token: token, json: ["id": .string(UUID().uuidString), "amount": 1, "funnel_id": .string(funnel)]),
                "POST spending with an id")
            expectFunnelNotFound(try await api.get("/spending/?funnel_id=\(funnel)", token: token), "GET spendings of funnel")
            expectFunnelNotFound(try await api.put("/spending/\(ownSpending)", token: token, json: ["funnel_id": .string(funnel)]), "move into funnel")
        }
        for spending in spendings {
            expectSpendingNotFound(try await api.get("/spending/\(spending)", token: token), "GET spending")
            expectSpendingNotFound(try await api.put("/spending/\(spending)", token: token, json: ["amount": 999]), "PUT spending")
            expectSpendingNotFound(try await api.patch("/spending/\(spending)", token: token, json: ["funnel_id": .string(ownFunnel)]), "PATCH spending")
            expectSpendingNotFound(try await api.delete("/spending/\(spending)", token: token), "DELETE spending")
        }
        // Lists never show them.
        let listedFunnels = try await api.funnels(token).map(\.id)
        let listedSpendings = try await api.spendings(token).map(\.id)
        let overview = try await api.overview(token)
        let history = try await api.get("/history", token: token).text
        for funnel in funnels {
            #expect(!listedFunnels.contains(funnel), sourceLocation: sourceLocation)
            #expect(!overview.funnels.contains { $0.id == funnel }, sourceLocation: sourceLocation)
            #expect(!history.contains(funnel), sourceLocation: sourceLocation)
        }
        for spending in spendings {
            #expect(!listedSpendings.contains(spending), sourceLocation: sourceLocation)
            #expect(!overview.recent.contains { $0.id == spending }, sourceLocation: sourceLocation)
        }
    }

    @Test func anotherHouseholdReachesNothing() async throws {
        try await withApp { api in
            let a = try await Self.makeHousehold(api, "a")
            let b = try await Self.makeHousehold(api, "b")
            let beforeA = try await Self.snapshot(api, a)
            let beforeB = try await Self.snapshot(api, b)

            for intruder in [b.owner, b.member] {
                let own = intruder.username == b.owner.username ? b.ownerPersonal : b.memberPersonal
                let ownSpending = intruder.username == b.owner.username ? b.ownerPersonalSpending : b.memberPersonalSpending
                try await Self.expectUnreachable(api, by: intruder, funnels: a.funnels, spendings: a.spendings, ownFunnel: own, ownSpending: ownSpending)
                // A client-chosen id that A already uses creates nothing and changes nothing in A.
                let reused = try await api.post(
                    "/spending/", token: intruder.access, json: ["id": .string(a.ownerSharedSpending), "amount": 10, "funnel_id": .string(b.shared), "note": "o"])
                #expect(reused.status.code >= 400 && reused.status.code < 500, "\(reused)")
                // Owners of B are not owners of A: A's members cannot be removed by them.
                #expect(try await api.delete("/household/members/\(a.member.username)", token: b.owner.access).status == .notFound)
            }
            #expect(try await Self.snapshot(api, a) == beforeA)
            #expect(try await Self.snapshot(api, b) == beforeB)
        }
    }

    @Test func aMemberCannotReachAnotherMembersPersonalFunnel() async throws {
        try await withApp { api in
            let a = try await Self.makeHousehold(api, "a")
            let before = try await Self.snapshot(api, a)
            // The member cannot reach the owner's personal funnel, and the owner (even as owner) not the member's.
            try await Self.expectUnreachable(
                api, by: a.member, funnels: [a.ownerPersonal], spendings: [a.ownerPersonalSpending], ownFunnel: a.memberPersonal,
                ownSpending: a.memberPersonalSpending)
            try await Self.expectUnreachable(
                api, by: a.owner, funnels: [a.memberPersonal], spendings: [a.memberPersonalSpending], ownFunnel: a.ownerPersonal,
                ownSpending: a.ownerPersonalSpending)
            #expect(try await Self.snapshot(api, a) == before)
        }
    }

    @Test func sharedFunnelSpendingsAreVisibleToBothMembersWithTheirAuthor() async throws {
        try await withApp { api in
            let a = try await Self.makeHousehold(api, "a")
            for account in [a.owner, a.member] {
                let listed = try await api.spendings(account.access, query: "timestamp_from=0&funnel_id=\(a.shared)")
                #expect(Set(listed.map(\.id)) == [a.ownerSharedSpending, a.memberSharedSpending])
                #expect(listed.first { $0.id == a.ownerSharedSpending }?.user == "a-owner")
                #expect(listed.first { $0.id == a.memberSharedSpending }?.user == "a-member")
                let shared = try await api.funnel(a.shared, account.access)
                #expect(shared.spent == 30)
                let funnels = try await api.funnels(account.access).map(\.id)
                let own = account.username == "a-owner" ? a.ownerPersonal : a.memberPersonal
                #expect(Set(funnels) == Set(try await api.funnels(a.owner.access).map(\.id)).subtracting([a.ownerPersonal]).union([own]))
                let overview = try await api.overview(account.access)
                #expect(Set(overview.recent.map(\.id)).isSuperset(of: [a.ownerSharedSpending, a.memberSharedSpending]))
                #expect(try await api.get("/spending/\(a.memberSharedSpending)", token: account.access).status == .ok)
            }
            // Each personal funnel's figures count only its own spendings.
            #expect(try await api.funnel(a.memberPersonal, a.member.access).spent == 40)
            #expect(try await api.funnel(a.ownerPersonal, a.owner.access).spent == 30)
            // A plain member cannot change the owner's spending in a shared funnel.
            let change = try await api.put("/spending/\(a.ownerSharedSpending)", token: a.member.access, json: ["amount": 1])
            #expect(change.status == .forbidden)
            #expect(try await api.get("/spending/\(a.ownerSharedSpending)", token: a.owner.access).decode(Spending.self).amount == 10)
        }
    }
}
