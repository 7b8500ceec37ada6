import Budget
import Foundation
import GRDB

/// What one member sees of their household, each answer read in one transaction so that its
/// parts agree: a write can land before or after it, never in between.
public struct SnapshotStore: Sendable {
    let db: DatabasePool

    /// A funnel and the sum of its spendings in a period.
    public struct FunnelTotal: Sendable {
        public let funnel: FunnelRecord
        public let spent: Int64
    }

    /// The main screen's data: the household, the current period, the funnels the member may
    /// see with their spendings' sums in it, and the latest spendings in those funnels.
    public struct Member: Sendable {
        public let household: HouseholdRecord
        public let rule: PeriodRule
        public let period: BudgetPeriod
        public let funnels: [FunnelTotal]
        public let recent: [SpendingRecord]
        /// Which spendings of `recent` have a receipt.
        public let withReceipts: Set<String>
    }

    /// One member's sum in a funnel and period.
    public struct MemberSum: Sendable, Equatable {
        public let userId: String
        public let spent: Int64

        public init(userId: String, spent: Int64) {
            self.userId = userId
            self.spent = spent
        }
    }

    /// Spent per visible funnel in each of the last periods, oldest first.
    public struct History: Sendable {
        public let household: HouseholdRecord
        public let funnels: [FunnelRecord]
        public let periods: [BudgetPeriod]
        /// One dictionary per period, in `periods`' order: funnel id → sum (absent: nothing spent).
        public let spent: [[String: Int64]]
        /// When each funnel's history begins (ms): its creation, or its first spending when that
        /// is earlier (spendings imported from before the funnel was made here).
        public let since: [String: Int64]
        /// One dictionary per period, for shared funnels only: funnel id → the sum of each member
        /// who recorded in it (absent: nobody did), in no particular order.
        public let byMember: [[String: [MemberSum]]]

        public init(
            household: HouseholdRecord, funnels: [FunnelRecord], periods: [BudgetPeriod], spent: [[String: Int64]],
            since: [String: Int64], byMember: [[String: [MemberSum]]]
        ) {
            self.household = household
            self.funnels = funnels
            self.periods = periods
            self.spent = spent
            self.since = since
            self.byMember = byMember
        }

        /// Whether `funnel` had begun by the end of period `index`: a period before a funnel
        /// existed has no limit of it to compare with.
        public func hasBegun(_ funnel: FunnelRecord, byEndOf index: Int) -> Bool {
            (since[funnel.id] ?? funnel.createdAt) < periods[index].endMillis
        }
    }

    public func member(householdId: String, userId: String, at now: Date, recentCount: Int) async throws -> Member {
        try await db.read { db in
            let household = try HouseholdStore.household(id: householdId, in: db)
            let rule = household.periodRule
            let period = rule.period(containing: now)
            let funnels = try FunnelStore.visibleInOrder(householdId: householdId, userId: userId, in: db)
            let ids = funnels.map(\.id)
            let sums = try Self.sums(householdId: householdId, funnelIds: ids, boundaries: [period.startMillis, period.endMillis], in: db)
            let recent = try Self.recent(
                householdId: householdId, funnelIds: ids, until: Self.recentHorizon(now), limit: recentCount, in: db)
            return Member(
                household: household, rule: rule, period: period,
                funnels: funnels.map { FunnelTotal(funnel: $0, spent: sums[0][$0.id] ?? 0) },
                recent: recent,
                withReceipts: try ReceiptStore.withReceipts(among: recent.map(\.id), in: db))
        }
    }

    public func history(householdId: String, userId: String, at now: Date, periods count: Int) async throws -> History {
        try await db.read { db in
            let household = try HouseholdStore.household(id: householdId, in: db)
            let rule = household.periodRule
            let periods = rule.periods(endingWith: rule.period(containing: now), count: count)
            let funnels = try FunnelStore.visibleInOrder(householdId: householdId, userId: userId, in: db)
            let boundaries = periods.map(\.startMillis) + [periods.last!.endMillis]
            let spent = try Self.sums(householdId: householdId, funnelIds: funnels.map(\.id), boundaries: boundaries, in: db)
            let byMember = try Self.memberSums(
                householdId: householdId, funnelIds: funnels.filter(\.shared).map(\.id), boundaries: boundaries, in: db)
            return History(
                household: household, funnels: funnels, periods: periods, spent: spent,
                since: try Self.since(funnels, in: db), byMember: byMember)
        }
    }

    /// Sums per funnel in each interval between consecutive `boundaries` (ascending). An
    /// interval that is a stored period of the household (`StoredPeriods`: every period the
    /// views ask for, in practice) is read from `funnel_period_total`, one row per funnel;
    /// any other is summed from the spendings (`sumsStatement`). Both reads are in the caller's
    /// transaction, so the answer is one state of the database either way.
    static func sums(householdId: String, funnelIds: [String], boundaries: [Int64], in db: Database) throws -> [[String: Int64]] {
        let intervals = boundaries.count - 1
        var sums = [[String: Int64]](repeating: [:], count: max(intervals, 0))
        guard !funnelIds.isEmpty, intervals > 0 else { return sums }
        let stored = try StoredPeriods.stored(householdId: householdId, boundaries: boundaries, in: db)
        if !stored.isEmpty {
            let statement = try db.cachedStatement(sql: """
                SELECT funnel_id, start_ms, amount_minor FROM funnel_period_total
                WHERE funnel_id IN (\(databaseQuestionMarks(count: funnelIds.count)))
                    AND start_ms >= ? AND start_ms < ? AND spending_count > 0
                """)
            let rows = try Row.fetchCursor(
                statement, arguments: StatementArguments(funnelIds) + [boundaries[0], boundaries[intervals]])
            while let row = try rows.next() {
                guard let index = stored[row[1]] else { continue }
                let funnelId: String = row[0]
                sums[index][funnelId] = row[2]
            }
        }
        let summed = (0..<intervals).filter { stored[boundaries[$0]] == nil }
        guard !summed.isEmpty else { return sums }
        var arguments = StatementArguments()
        for index in summed {
            arguments += [index, boundaries[index], boundaries[index + 1]]
        }
        arguments += StatementArguments(funnelIds)
        // Not kept compiled: the statement's text varies with the counts, and this path is rare.
        let rows = try Row.fetchCursor(db, sql: sumsStatement(funnelCount: funnelIds.count, intervals: summed.count), arguments: arguments)
        while let row = try rows.next() {
            // NULL: no spending of that funnel in that interval (absent from the dictionary).
            guard let sum = row[2] as Int64? else { continue }
            let funnelId: String = row[0]
            let index: Int = row[1]
            sums[index][funnelId] = sum
        }
        return sums
    }

    /// Like `sums`, split by who recorded: from `member_period_total` for stored periods, from
    /// the spendings of the funnel in the interval for any other.
    static func memberSums(householdId: String, funnelIds: [String], boundaries: [Int64], in db: Database) throws -> [[String: [MemberSum]]] {
        let intervals = boundaries.count - 1
        var sums = [[String: [MemberSum]]](repeating: [:], count: max(intervals, 0))
        guard !funnelIds.isEmpty, intervals > 0 else { return sums }
        let stored = try StoredPeriods.stored(householdId: householdId, boundaries: boundaries, in: db)
        if !stored.isEmpty {
            let statement = try db.cachedStatement(sql: """
                SELECT funnel_id, start_ms, user_id, amount_minor FROM member_period_total
                WHERE funnel_id IN (\(databaseQuestionMarks(count: funnelIds.count)))
                    AND start_ms >= ? AND start_ms < ? AND spending_count > 0
                """)
            let rows = try Row.fetchCursor(
                statement, arguments: StatementArguments(funnelIds) + [boundaries[0], boundaries[intervals]])
            while let row = try rows.next() {
                guard let index = stored[row[1]] else { continue }
                sums[index][row[0], default: []].append(MemberSum(userId: row[2], spent: row[3]))
            }
        }
        // Not kept compiled, like `sumsStatement`: the rare path of a period that is not stored.
        for index in 0..<intervals where stored[boundaries[index]] == nil {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT funnel_id, user_id, SUM(amount_minor) FROM spending INDEXED BY spending_on_funnel_timestamp
                WHERE funnel_id IN (\(databaseQuestionMarks(count: funnelIds.count))) AND timestamp >= ? AND timestamp < ?
                GROUP BY funnel_id, user_id
                """, arguments: StatementArguments(funnelIds) + [boundaries[index], boundaries[index + 1]])
            while let row = try rows.next() {
                sums[index][row[0], default: []].append(MemberSum(userId: row[1], spent: row[2]))
            }
        }
        return sums
    }

    /// Each funnel's creation, or its first spending when earlier: one step down the funnel
    /// index per funnel.
    static func since(_ funnels: [FunnelRecord], in db: Database) throws -> [String: Int64] {
        var since: [String: Int64] = [:]
        guard !funnels.isEmpty else { return since }
        let statement = try db.cachedStatement(sql: """
            SELECT id, (SELECT MIN(timestamp) FROM spending INDEXED BY spending_on_funnel_timestamp WHERE funnel_id = funnel.id)
            FROM funnel WHERE id IN (\(databaseQuestionMarks(count: funnels.count)))
            """)
        let created = Dictionary(uniqueKeysWithValues: funnels.map { ($0.id, $0.createdAt) })
        let rows = try Row.fetchCursor(statement, arguments: StatementArguments(funnels.map(\.id)))
        while let row = try rows.next() {
            let id: String = row[0]
            let first: Int64? = row[1]
            since[id] = min(created[id] ?? .max, first ?? .max)
        }
        return since
    }

    /// The per-pair sums of intervals that are not stored periods, from the spendings: a range of
    /// the (funnel, timestamp, amount) index per (interval, funnel). Arguments are (index, start,
    /// end) per interval, then the funnel ids.
    static func sumsStatement(funnelCount: Int, intervals: Int) -> String {
        let periods = Array(repeating: "(?, ?, ?)", count: intervals).joined(separator: ", ")
        let funnels = Array(repeating: "(?)", count: funnelCount).joined(separator: ", ")
        return """
            WITH interval(number, start, end) AS (VALUES \(periods)), wanted(funnel_id) AS (VALUES \(funnels))
            SELECT wanted.funnel_id, interval.number, (
                SELECT SUM(amount_minor) FROM spending INDEXED BY spending_on_funnel_timestamp
                WHERE funnel_id = wanted.funnel_id AND timestamp >= interval.start AND timestamp < interval.end
            ) FROM interval, wanted
            """
    }

    /// How far past `now` "recent" reaches: a phone whose clock runs a little fast still sees
    /// what it just recorded, but a spending dated in the future (year 9999) cannot pin the
    /// top of the list.
    public static let recentClockSkewMillis: Int64 = 10 * 60 * 1000

    static func recentHorizon(_ now: Date) -> Int64 {
        Int64((now.timeIntervalSince1970 * 1000).rounded(.down)) + recentClockSkewMillis
    }

    /// The newest spendings up to `until` (milliseconds) in the given funnels of a household.
    /// Walks the household's index backwards, already in the list's order (the funnel index
    /// would sort every spending ever made).
    static func recent(householdId: String, funnelIds: [String], until: Int64, limit: Int, in db: Database) throws -> [SpendingRecord] {
        guard !funnelIds.isEmpty else { return [] }
        return try SpendingRecord.fetchAll(
            db,
            sql: """
                SELECT * FROM spending INDEXED BY spending_listed_in_household_order
                WHERE household_id = ? AND timestamp <= ? AND funnel_id IN (\(databaseQuestionMarks(count: funnelIds.count)))
                ORDER BY timestamp DESC, created_at DESC, id DESC LIMIT ?
                """,
            arguments: StatementArguments([householdId]) + [until] + StatementArguments(funnelIds) + [limit])
    }
}
