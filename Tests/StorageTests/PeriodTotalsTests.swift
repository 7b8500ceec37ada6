import Foundation
import GRDB
@testable import Storage
import Testing

/// `funnel_period_total` against the spendings it summarises, after every kind of write, by the
/// stores and by plain SQL (the triggers keep it, whoever writes).
@Suite struct PeriodTotalsTests {
    static let day: Int64 = 86_400_000

    /// Every stored (funnel, period) sum equals the spendings' sum, and none is missing.
    func expectTotalsMatchSpendings(_ storage: Stores, _ comment: Comment? = nil) async throws {
        let (kept, summed) = try await storage.database.pool.read { db in
            (try Row.fetchAll(db, sql: """
                SELECT funnel_id, start_ms, amount_minor, spending_count FROM funnel_period_total
                WHERE spending_count > 0 ORDER BY funnel_id, start_ms
                """).map { [$0[0] as String, String($0[1] as Int64), String($0[2] as Int64), String($0[3] as Int64)] },
             try Row.fetchAll(db, sql: """
                SELECT spending.funnel_id, p.start_ms, SUM(spending.amount_minor), COUNT(*)
                FROM spending JOIN funnel ON funnel.id = spending.funnel_id
                JOIN budget_period p ON p.household_id = funnel.household_id
                    AND spending.timestamp >= p.start_ms AND spending.timestamp < p.end_ms
                GROUP BY spending.funnel_id, p.start_ms ORDER BY spending.funnel_id, p.start_ms
                """).map { [$0[0] as String, String($0[1] as Int64), String($0[2] as Int64), String($0[3] as Int64)] })
        }
        #expect(kept == summed, comment)
        let (split, splitSummed) = try await storage.database.pool.read { db in
            (try Row.fetchAll(db, sql: """
                SELECT funnel_id, start_ms, user_id, amount_minor, spending_count FROM member_period_total
                WHERE spending_count > 0 ORDER BY funnel_id, start_ms, user_id
                """).map { [$0[0] as String, String($0[1] as Int64), $0[2] as String, String($0[3] as Int64), String($0[4] as Int64)] },
             try Row.fetchAll(db, sql: """
                SELECT spending.funnel_id, p.start_ms, spending.user_id, SUM(spending.amount_minor), COUNT(*)
                FROM spending JOIN funnel ON funnel.id = spending.funnel_id
                JOIN budget_period p ON p.household_id = funnel.household_id
                    AND spending.timestamp >= p.start_ms AND spending.timestamp < p.end_ms
                GROUP BY spending.funnel_id, p.start_ms, spending.user_id ORDER BY spending.funnel_id, p.start_ms, spending.user_id
                """).map { [$0[0] as String, String($0[1] as Int64), $0[2] as String, String($0[3] as Int64), String($0[4] as Int64)] })
        }
        #expect(split == splitSummed, comment)
    }

    /// The views' sums through `SnapshotStore.sums` against a plain SUM per interval.
    func expectSums(_ storage: Stores, _ f: Fixture, boundaries: [Int64], _ comment: Comment? = nil) async throws {
        let ids = [f.shared.id, f.personal.id]
        let (sums, plain) = try await storage.database.pool.read { db in
            let sums = try SnapshotStore.sums(householdId: f.household.id, funnelIds: ids, boundaries: boundaries, in: db)
            var plain = [[String: Int64]](repeating: [:], count: boundaries.count - 1)
            for index in 0..<(boundaries.count - 1) {
                for row in try Row.fetchAll(db, sql: """
                    SELECT funnel_id, SUM(amount_minor) FROM spending WHERE timestamp >= ? AND timestamp < ?
                    AND funnel_id IN (?, ?) GROUP BY funnel_id
                    """, arguments: [boundaries[index], boundaries[index + 1], ids[0], ids[1]]) {
                    plain[index][row[0]] = row[1]
                }
            }
            return (sums, plain)
        }
        #expect(sums == plain, comment)
    }

    /// The history's per-member parts through `SnapshotStore.parts` against a plain grouped SUM
    /// per interval (a personal funnel's one part has no member).
    func expectParts(_ storage: Stores, _ f: Fixture, boundaries: [Int64], _ comment: Comment? = nil) async throws {
        let funnels = [f.shared, f.personal]
        #expect(funnels.map(\.shared) == [true, false])
        let (parts, plain) = try await storage.database.pool.read { db in
            let (split, users) = try SnapshotStore.parts(householdId: f.household.id, funnels: funnels, boundaries: boundaries, in: db)
            #expect(Set(users).count == users.count, "each member once")
            let parts = split.map { $0.map { $0.map { "\($0.user.map { users[$0] } ?? "-") \($0.spent)" }.sorted() } }
            var plain = [[[String]]](repeating: [[], []], count: boundaries.count - 1)
            for index in 0..<(boundaries.count - 1) {
                for (position, funnel) in funnels.enumerated() {
                    plain[index][position] = try Row.fetchAll(db, sql: """
                        SELECT \(funnel.shared ? "user_id" : "'-'"), SUM(amount_minor) FROM spending
                        WHERE funnel_id = ? AND timestamp >= ? AND timestamp < ? GROUP BY 1
                        """, arguments: [funnel.id, boundaries[index], boundaries[index + 1]]).map { "\($0[0] as String) \($0[1] as Int64)" }.sorted()
                }
            }
            return (parts, plain)
        }
        #expect(parts == plain, comment)
    }

    func periodBoundaries(_ storage: Stores, _ f: Fixture, around millis: Int64, count: Int) async throws -> [Int64] {
        let household = try await storage.households.members(of: f.household.id).household
        let periods = household.periodRule.periods(fromMillis: millis, count: count)
        return periods.map(\.startMillis) + [periods.last!.endMillis]
    }

    @Test func aNewHouseholdHasItsWindowOfPeriods() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let (count, first, last) = try await storage.database.pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM budget_period WHERE household_id = ?", arguments: [f.household.id]) ?? 0,
                 try Int64.fetchOne(db, sql: "SELECT MIN(start_ms) FROM budget_period") ?? 0,
                 try Int64.fetchOne(db, sql: "SELECT MAX(end_ms) FROM budget_period") ?? 0)
            }
            #expect(count == (StoredPeriods.yearsBefore + StoredPeriods.yearsAfter) * 12)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(first < now - Int64(StoredPeriods.yearsBefore) * 365 * Self.day)
            #expect(last > now + Int64(StoredPeriods.yearsAfter - 1) * 365 * Self.day)
            // Every period the views ask for around now is stored exactly.
            let boundaries = try await periodBoundaries(storage, f, around: now - 400 * Self.day, count: 30)
            let stored = try await storage.database.pool.read { db in
                try StoredPeriods.stored(householdId: f.household.id, boundaries: boundaries, in: db)
            }
            #expect(stored.count == 30)
        }
    }

    @Test func everyWriteKeepsTheTotals() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let other = try await makeFixture(storage, username: "bob")
            var random = SplitMix(state: 42)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            // Instants around now, a few years back, and outside the stored window both ways.
            func instant() -> Int64 {
                switch random.next() % 10 {
                case 0: return now - Int64(StoredPeriods.yearsBefore + 2) * 365 * Self.day + Int64(random.next() % 1_000) * Self.day
                case 1: return now + Int64(StoredPeriods.yearsAfter + 1) * 365 * Self.day
                default: return now - Int64(random.next() % 1_500) * Self.day + Int64(random.next() % UInt64(Self.day))
                }
            }
            var ids: [String] = []
            for step in 0..<300 {
                let choice = random.next() % 10
                if choice < 5 || ids.isEmpty {
                    let funnel = [f.shared, f.personal, other.shared][Int(random.next() % 3)]
                    let owner = funnel.householdId == f.household.id ? f.user : other.user
                    let record = spending(in: funnel, by: owner, amount: Int64(random.next() % 20_000) - 1_000, at: instant())
                    _ = try await storage.spendings.create(record)
                    ids.append(record.id)
                } else if choice < 8 {
                    // Amount, instant and funnel changed in plain SQL (the store checks who may).
                    let id = ids[Int(random.next() % UInt64(ids.count))]
                    let (amount, timestamp) = (Int64(random.next() % 5_000), instant())
                    let newAuthor = random.next() % 3 == 0
                    try await storage.database.pool.write { db in
                        try db.execute(sql: "UPDATE spending SET amount_minor = ?, timestamp = ? WHERE id = ?",
                                       arguments: [amount, timestamp, id])
                        try db.execute(sql: """
                            UPDATE spending SET funnel_id = CASE funnel_id WHEN ? THEN ? WHEN ? THEN ? ELSE funnel_id END WHERE id = ?
                            """, arguments: [f.shared.id, f.personal.id, f.personal.id, f.shared.id, id])
                        // And now and then its author (the member split follows).
                        if newAuthor {
                            try db.execute(sql: "UPDATE spending SET user_id = CASE user_id WHEN ? THEN ? ELSE ? END WHERE id = ?",
                                           arguments: [f.user.id, other.user.id, f.user.id, id])
                        }
                    }
                } else {
                    let id = ids.remove(at: Int(random.next() % UInt64(ids.count)))
                    try await storage.database.pool.write { db in
                        try db.execute(sql: "DELETE FROM spending WHERE id = ?", arguments: [id])
                    }
                }
                if step % 50 == 49 {
                    try await expectTotalsMatchSpendings(storage, "step \(step)")
                }
            }
            try await expectTotalsMatchSpendings(storage)
            // The rule changes: the window is made again and every sum with it.
            _ = try await storage.households.update(id: f.household.id) { household in
                household.periodStartDay = 28
                household.timeZone = "Asia/Kathmandu"
            }
            try await expectTotalsMatchSpendings(storage, "after the rule changed")
            let boundaries = try await periodBoundaries(storage, f, around: now - 1_600 * Self.day, count: 60)
            try await expectSums(storage, f, boundaries: boundaries, "stored periods after the rule changed")
            try await expectParts(storage, f, boundaries: boundaries, "stored periods after the rule changed")
            let stored = try await storage.database.pool.read { db in
                try StoredPeriods.stored(householdId: f.household.id, boundaries: boundaries, in: db)
            }
            #expect(stored.count == 60, "the new rule's periods are the stored ones")
            // Intervals that are no stored period (a week, a day, across the window's ends) are summed from the spendings.
            try await expectSums(storage, f, boundaries: [now - 7 * Self.day, now - Self.day, now, now + Self.day])
            try await expectParts(storage, f, boundaries: [now - 7 * Self.day, now - Self.day, now, now + Self.day])
            // Stored and summed in one call: the window's first period and an interval before it.
            try await expectParts(storage, f, boundaries: [boundaries[0] - 40 * Self.day] + boundaries)
            try await expectSums(storage, f, boundaries: [
                now - Int64(StoredPeriods.yearsBefore + 3) * 365 * Self.day, boundaries[0], boundaries[1],
                now + Int64(StoredPeriods.yearsAfter + 2) * 365 * Self.day,
            ])
            // A funnel moved to another household (no route does it; plain SQL may).
            try await storage.database.pool.write { db in
                try db.execute(sql: "UPDATE funnel SET household_id = ? WHERE id = ?", arguments: [other.household.id, f.personal.id])
            }
            try await expectTotalsMatchSpendings(storage, "after a funnel moved")
            try await storage.database.pool.write { db in
                try db.execute(sql: "UPDATE funnel SET household_id = ? WHERE id = ?", arguments: [f.household.id, f.personal.id])
            }
            // A funnel deleted takes its spendings and its sums.
            try await storage.funnels.delete(f.shared)
            try await expectTotalsMatchSpendings(storage, "after a funnel was deleted")
            #expect(try await storage.database.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM funnel_period_total WHERE funnel_id = ?", arguments: [f.shared.id])
            } == 0)
        }
    }

    @Test func periodsChangedBehindTheServersBackAreSlowerNotWrong() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for offset in 0..<40 as Range<Int64> {
                _ = try await storage.spendings.create(spending(in: f.shared, by: f.user, amount: 100 + offset, at: now - offset * 9 * Self.day))
            }
            let boundaries = try await periodBoundaries(storage, f, around: now - 400 * Self.day, count: 14)
            try await expectSums(storage, f, boundaries: boundaries, "all stored")
            // The rule changed in a sqlite3 shell: the stored periods no longer are the rule's.
            try await storage.database.pool.write { db in
                try db.execute(sql: "UPDATE household SET period_start_day = 10 WHERE id = ?", arguments: [f.household.id])
                try db.execute(sql: "DELETE FROM budget_period WHERE household_id = ? AND start_ms = ?", arguments: [f.household.id, boundaries[3]])
            }
            let shifted = try await periodBoundaries(storage, f, around: now - 400 * Self.day, count: 14)
            try await expectSums(storage, f, boundaries: shifted, "none stored")
            try await expectSums(storage, f, boundaries: boundaries, "all but two stored")
            try await expectParts(storage, f, boundaries: boundaries, "all but two stored")
            try await expectParts(storage, f, boundaries: shifted, "none stored")
            try await expectTotalsMatchSpendings(storage)
        }
    }

    @Test func storedPeriodsNeverOverlapAndAreNotEdited() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let start = try await storage.database.pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT start_ms FROM budget_period WHERE household_id = ? ORDER BY start_ms LIMIT 1 OFFSET 100",
                                   arguments: [f.household.id]) ?? 0
            }
            for (sql, arguments) in [
                ("INSERT INTO budget_period VALUES (?, ?, ?)", [f.household.id, start + 1, start + 2] as StatementArguments),
                ("INSERT INTO budget_period VALUES (?, ?, ?)", [f.household.id, start - 1, start + 1]),
                ("INSERT INTO budget_period VALUES (?, ?, ?)", [f.household.id, -10, -20]),
                ("UPDATE budget_period SET end_ms = end_ms + 1 WHERE household_id = ? AND start_ms = ?", [f.household.id, start]),
            ] {
                await #expect(throws: DatabaseError.self, "\(sql) \(arguments)") {
                    try await storage.database.pool.write { db in try db.execute(sql: sql, arguments: arguments) }
                }
            }
        }
    }

    @Test func theViewsReadOneRowPerFunnelAndPeriod() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let boundaries = try await periodBoundaries(storage, f, around: now - 330 * Self.day, count: 12)
            let plan = try await storage.database.pool.read { db in
                try Row.fetchAll(db, sql: """
                    EXPLAIN QUERY PLAN SELECT funnel_id, start_ms, amount_minor FROM funnel_period_total
                    WHERE funnel_id IN (?, ?) AND start_ms >= ? AND start_ms < ? AND spending_count > 0
                    """, arguments: [f.shared.id, f.personal.id, boundaries[0], boundaries[12]]).map { $0["detail"] as String }
            }
            let text = plan.joined(separator: "\n")
            #expect(text.contains("SEARCH funnel_period_total USING PRIMARY KEY (funnel_id=? AND start_ms>? AND start_ms<?)"), "\(text)")
            #expect(!text.contains("TEMP B-TREE"), "\(text)")
        }
    }
}

/// SplitMix64, for repeatable random writes.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
