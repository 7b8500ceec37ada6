import Foundation
import Testing

@testable import App

/// GET /history: which funnels a period lists, and the member split of shared funnels.
@Suite struct HistoryTests {
    /// Each period's funnels by id, and the `members` of each (nil: the key is absent).
    func periods(_ api: API, _ token: String, count: Int) async throws -> [[String: [String: Any]]] {
        let reply = try await api.get("/history?periods=\(count)", token: token)
        try #require(reply.status == .ok, "\(reply)")
        let periods = try #require(reply.object?["periods"] as? [[String: Any]])
        return periods.map { period in
            Dictionary(uniqueKeysWithValues: ((period["funnels"] as? [[String: Any]]) ?? []).map { ($0["id"] as! String, $0) })
        }
    }

    func members(_ entry: [String: Any]?) -> [String]? {
        (entry?["members"] as? [[String: Any]])?.map { "\($0["user"] as! String) \($0["spent"] as! NSNumber)" }
    }

    @Test func aPeriodListsTheFunnelsThatHadBegunAndSplitsSharedOnesByMember() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "UTC"))
        try await withApp(clock: clock) { api in
            var alice = try await api.register("alice")
            var bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let food = try await api.funnels(alice.access)[0].id  // shared, made at sign-up
            _ = try await api.createSpending(alice.access, funnel: food, amount: "5", timestamp: millis(instant(2025, 9, 21, in: "UTC")))
            _ = try await api.createSpending(bob.access, funnel: food, amount: "7.25", timestamp: millis(instant(2025, 9, 22, in: "UTC")))
            _ = try await api.createSpending(bob.access, funnel: food, amount: "3", timestamp: millis(instant(2025, 9, 30, 23, 59, in: "UTC")))
            clock.advance(16 * 86_400)  // 2025-10-06
            alice.tokens = try await api.login(alice)
            bob.tokens = try await api.login(bob)
            let car = try await api.createFunnel(alice.access, name: "Car", shared: false)
            _ = try await api.createSpending(alice.access, funnel: car, amount: "20")

            let history = try await periods(api, alice.access, count: 4)  // July to October
            #expect(history[0].isEmpty && history[1].isEmpty, "no funnel existed in July or August")
            #expect(history[2][food] != nil && history[2][car] == nil, "Car did not exist in September")
            #expect(members(history[2][food]) == ["alice 5", "bob 10.25"])
            #expect(history[3][car]?["spent"] as? Int == 20)
            #expect(history[3][car]?.keys.contains("members") == false, "a personal funnel is not split")
            #expect(members(history[3][food]) == [], "nobody recorded in Food in October")

            // Bob leaves: what he spent in the household's shared funnel stays his in its history.
            let left = try await api.post("/household/leave", token: bob.access)
            #expect(left.status == .noContent || left.status == .ok, "\(left)")
            #expect(members(try await periods(api, alice.access, count: 4)[2][food]) == ["alice 5", "bob 10.25"])
            let his = try await periods(api, bob.access, count: 4)
            #expect(his.allSatisfy { $0[food] == nil } && his[0].isEmpty && !his[3].isEmpty, "his new household begins now")
        }
    }
}
