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
        struct FunnelSpent: Encodable {
            let id: String
            let spent: Decimal
            let limit: Decimal
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
            periods: zip(history.periods, history.spent).map { period, spent in
                .init(start: period.startMillis, end: period.endMillis, funnels: history.funnels.map {
                    .init(id: $0.id, spent: money(spent[$0.id] ?? 0), limit: money($0.limitMinor))
                })
            })
        return String(decoding: try WireJSON.encoder.encode(output), as: UTF8.self)
    }

    func history(currency: String, funnels: [(id: String, limit: Int64)], periods count: Int, spent: (Int, String) -> Int64?) -> SnapshotStore.History {
        let household = HouseholdRecord(id: "h", name: "Home", currency: currency, periodStartDay: 28, timeZone: "Europe/Berlin", createdAt: 0)
        let rule = household.periodRule
        var periods = [rule.period(containing: Date(timeIntervalSince1970: 1_709_164_800))]  // 2024-02-29, a leap day
        while periods.count < count { periods.insert(rule.period(before: periods[0]), at: 0) }
        let records = funnels.enumerated().map { position, funnel in
            FunnelRecord(
                id: funnel.id, householdId: "h", ownerId: "u", shared: true, name: "n", limitMinor: funnel.limit,
                color: "#000000", emoji: "", position: position, createdAt: 0)
        }
        let sums = (0..<count).map { period in
            Dictionary(uniqueKeysWithValues: funnels.compactMap { funnel in spent(period, funnel.id).map { (funnel.id, $0) } })
        }
        return SnapshotStore.History(household: household, funnels: records, periods: periods, spent: sums)
    }

    @Test(arguments: ["EUR", "JPY", "KWD", "XXX"]) func theHistoryIsWhatTheEncoderWritesForTheSameValues(currency: String) throws {
        let funnels: [(id: String, limit: Int64)] = [
            ("f-1", 30_000), ("quote \" and \\ backslash", 0), ("Grüße 🍞", 1), ("</script>/", .max), ("\u{1}\n", -5),
        ]
        let amounts: [Int64] = [0, 1, -1, 1_250, 1_200, -350, 99_999, .max, .min, 123_456_789]
        let history = history(currency: currency, funnels: funnels, periods: 13) { period, funnel in
            // Some funnels spent nothing in some periods: the answer says 0 for them.
            (period + funnel.utf8.count) % 3 == 0 ? nil : amounts[(period * 7 + funnel.utf8.count) % amounts.count]
        }
        #expect(String(buffer: HistoryJSON.render(history)) == (try encoded(history)))
    }

    @Test func noFunnelsAndOnePeriodAreStillTheEncodersBytes() throws {
        let empty = history(currency: "EUR", funnels: [], periods: 1) { _, _ in nil }
        #expect(String(buffer: HistoryJSON.render(empty)) == (try encoded(empty)))
        let one = history(currency: "EUR", funnels: [("f", 100)], periods: 1) { _, _ in 5 }
        let text = String(buffer: HistoryJSON.render(one))
        #expect(text == (try encoded(one)))
        #expect(text.hasPrefix(#"{"currency":"EUR","periods":[{"end":"#) && text.hasSuffix(#"}]}"#))
        #expect(text.contains(#""funnels":[{"id":"f","limit":1,"spent":0.05}]"#))
    }
}
