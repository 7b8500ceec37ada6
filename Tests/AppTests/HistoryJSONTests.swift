import Budget
import Foundation
import Testing

@testable import App
@testable import Storage

/// GET /history is written by hand (HistoryJSON): these are the bytes the encoder writes for the
/// same values, in the shape the contract gives.
@Suite struct HistoryJSONTests {
    /// The answer's shape as the contract spells it, encoded by `WireJSON.encoder` (snake case,
    /// keys sorted): the reference the hand-written bytes must equal.
    struct HistoryOutput: Encodable {
        struct MemberSpent: Encodable {
            let user: String
            let spent: Decimal
        }

        struct FunnelSpent: Encodable {
            let id: String
            let spent: Decimal
            let limit: Decimal
            /// Shared funnels only: absent (not null) for the others, as the encoder omits nil.
            let members: [MemberSpent]?
        }

        struct Period: Encodable {
            let start: Int64
            let end: Int64
            let funnels: [FunnelSpent]
        }

        let currency: String
        let periods: [Period]
    }

    func encoded(_ history: SnapshotStore.History) throws -> String {
        let money = history.household.money
        let output = HistoryOutput(
            currency: history.household.currency,
            periods: history.periods.indices.map { index in
                let period = history.periods[index]
                let began = history.funnels.indices.filter { history.firstPeriod[$0] <= index }
                return .init(start: period.startMillis, end: period.endMillis, funnels: began.map { position in
                    let funnel = history.funnels[position]
                    let parts = history.parts[index][position]
                    return .init(
                        id: funnel.id, spent: parts.reduce(Decimal(0)) { $0 + money($1.spent) }, limit: money(funnel.limitMinor),
                        members: funnel.shared
                            ? parts.map { .init(user: $0.user.map { Self.username(history.users[$0]) } ?? "", spent: money($0.spent)) }.sorted { $0.user < $1.user }
                            : nil)
                })
            })
        return String(decoding: try WireJSON.encoder.encode(output), as: UTF8.self)
    }

    /// The usernames the render is given: escapes and non-ASCII, and one id with no name.
    static func username(_ id: String) -> String {
        ["u-1": "maria", "u-2": "Jönas \"J\" 🍞", "u-3": "a\u{7}</script>"][id] ?? ""
    }

    /// The members of the histories below, by position (1: u-1, whose spendings an unsplit shared funnel holds).
    static let userIds = ["u-3", "u-1", "u-2", "gone"]

    /// Funnels at even positions are shared: split as `byMember` says, else all by u-1.
    func history(
        currency: String, funnels: [(id: String, limit: Int64)], periods count: Int, spent: (Int, String) -> Int64?,
        firstPeriod: (String) -> Int = { _ in 0 }, byMember: (Int, String) -> [SnapshotStore.MemberSum]? = { _, _ in nil }
    ) -> SnapshotStore.History {
        let household = HouseholdRecord(id: "h", name: "Home", currency: currency, periodStartDay: 28, timeZone: "Europe/Berlin", createdAt: 0)
        let rule = household.periodRule
        var periods = [rule.period(containing: Date(timeIntervalSince1970: 1_709_164_800))]  // 2024-02-29, a leap day
        while periods.count < count { periods.insert(rule.period(before: periods[0]), at: 0) }
        let records = funnels.enumerated().map { position, funnel in
            FunnelRecord(
                id: funnel.id, householdId: "h", ownerId: "u", shared: position % 2 == 0, name: "n", limitMinor: funnel.limit,
                color: "#000000", emoji: "", position: position, createdAt: 0)
        }
        let parts = (0..<count).map { period in
            records.map { funnel -> [SnapshotStore.MemberSum] in
                if funnel.shared, let members = byMember(period, funnel.id) { return members }
                return spent(period, funnel.id).map { [.init(user: funnel.shared ? 1 : nil, spent: $0)] } ?? []
            }
        }
        return SnapshotStore.History(
            household: household, funnels: records, periods: periods, parts: parts, firstPeriod: funnels.map { firstPeriod($0.id) },
            users: Self.userIds)
    }

    @Test(arguments: ["EUR", "JPY", "KWD", "XXX"]) func theHistoryIsWhatTheEncoderWritesForTheSameValues(currency: String) throws {
        let funnels: [(id: String, limit: Int64)] = [
            ("f-1", 30_000), ("quote \" and \\ backslash", 0), ("Grüße 🍞", 1), ("</script>/", .max), ("\u{1}\n", -5),
        ]
        let amounts: [Int64] = [0, 1, -1, 1_250, 1_200, -350, 99_999, .max, .min, 123_456_789]
        // Members' sums stay far from Int64's ends: four of them are added up for the funnel's.
        let parts: [Int64] = [0, 1, -1, 1_250, 1_200, -350, 99_999, 10_000_000_000_000_000, -10_000_000_000_000_000, 123_456_789]
        let history = history(
            currency: currency, funnels: funnels, periods: 13,
            spent: { period, funnel in
                // Some funnels spent nothing in some periods: the answer says 0 for them.
                (period + funnel.utf8.count) % 3 == 0 ? nil : amounts[(period * 7 + funnel.utf8.count) % amounts.count]
            },
            // Two funnels begin later: one in period 4, one after the last (listed nowhere).
            firstPeriod: { funnel in
                switch funnel {
                case "f-1": 4
                case "Grüße 🍞": 13
                default: 0
                }
            },
            byMember: { period, funnel in
                // Shared funnels split by member, in no order; some periods nobody recorded.
                period % 4 == 1 ? [] : Array([
                    .init(user: 0, spent: parts[(period + 3) % parts.count]),
                    .init(user: 1, spent: parts[period % parts.count]),
                    .init(user: 2, spent: -1),
                    .init(user: 3, spent: 7),
                ].suffix(1 + (period + funnel.utf8.count) % 4))
            })
        let text = String(buffer: HistoryJSON.render(history, username: Self.username))
        #expect(text == (try encoded(history)))
        // What the shape means, read back: period 4 lists f-1 (begun inside it), period 3 does not.
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let listed = (decoded["periods"] as! [[String: Any]]).map { ($0["funnels"] as! [[String: Any]]).map { $0["id"] as! String } }
        #expect(!listed[3].contains("f-1") && listed[4].contains("f-1"))
        #expect(listed.allSatisfy { !$0.contains("Grüße 🍞") } && listed.allSatisfy { $0.contains("</script>/") })
        // A shared funnel nobody recorded in has "members": []; a personal one has no "members".
        let fifth = ((decoded["periods"] as! [[String: Any]])[5]["funnels"] as! [[String: Any]])
        #expect((fifth.first { $0["id"] as? String == "f-1" }?["members"] as? [Any])?.isEmpty == true)
        #expect(fifth.first { $0["id"] as? String == "quote \" and \\ backslash" }.map { $0["members"] == nil } == true)
        // Sorted by username; the id with no name is "" and comes first.
        let eighth = ((decoded["periods"] as! [[String: Any]])[8]["funnels"] as! [[String: Any]])
        let users = (eighth.first { $0["id"] as? String == "f-1" }?["members"] as? [[String: Any]])?.map { $0["user"] as! String }
        #expect(users == ["", "Jönas \"J\" 🍞", "a\u{7}</script>", "maria"])
    }

    @Test func noFunnelsAndOnePeriodAreStillTheEncodersBytes() throws {
        let empty = history(currency: "EUR", funnels: [], periods: 1) { _, _ in nil }
        #expect(String(buffer: HistoryJSON.render(empty, username: Self.username)) == (try encoded(empty)))
        let one = history(currency: "EUR", funnels: [("f", 100)], periods: 1) { _, _ in 5 }
        let text = String(buffer: HistoryJSON.render(one, username: Self.username))
        #expect(text == (try encoded(one)))
        #expect(text.hasPrefix(#"{"currency":"EUR","periods":[{"end":"#) && text.hasSuffix(#"}]}"#))
        #expect(text.contains(#""funnels":[{"id":"f","limit":1,"members":[{"spent":0.05,"user":"maria"}],"spent":0.05}]"#))
    }
}
