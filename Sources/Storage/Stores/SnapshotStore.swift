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
        /// The member's position in `History.users`; nil in a personal funnel's history, which
        /// is not split.
        public let user: Int?
        public let spent: Int64

        public init(user: Int?, spent: Int64) {
            self.user = user
            self.spent = spent
        }
    }

    /// Spent per visible funnel in each of the last periods, oldest first; arrays by position
    /// (of `periods`, of `funnels`), so that writing the answer hashes no id.
    public struct History: Sendable {
        public let household: HouseholdRecord
        public let funnels: [FunnelRecord]
        public let periods: [BudgetPeriod]
        /// `parts[period][funnel]`: the sums of the members who recorded in it (a shared funnel),
        /// or its one sum without a member (a personal one); empty: nothing recorded.
        public let parts: [[[MemberSum]]]
        /// Per funnel, the first period by whose end it had begun (was created, or had a
        /// spending: imported from before it was made here); `periods.count` if none. A period
        /// before a funnel existed has no limit of it to compare with.
        public let firstPeriod: [Int]
        /// The ids of the members in `parts`, each once: a household has a few, its parts many.
        public let users: [String]

        public init(
            household: HouseholdRecord, funnels: [FunnelRecord], periods: [BudgetPeriod], parts: [[[MemberSum]]], firstPeriod: [Int],
            users: [String]
        ) {
            self.household = household
            self.funnels = funnels
            self.periods = periods
            self.parts = parts
            self.firstPeriod = firstPeriod
            self.users = users
        }

        /// The funnel's sum in the period (held at Int64's ends rather than trapping: sums of
        /// that size are beyond any amount the service accepts, never worth stopping it).
        public func spent(period: Int, funnel: Int) -> Int64 {
            parts[period][funnel].reduce(0) { sum, part in
                let (total, overflow) = sum.addingReportingOverflow(part.spent)
                return overflow ? (part.spent > 0 ? .max : .min) : total
            }
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
            let (parts, users) = try Self.parts(householdId: householdId, funnels: funnels, boundaries: boundaries, in: db)
            return History(
                household: household, funnels: funnels, periods: periods, parts: parts,
                firstPeriod: try Self.firstPeriods(funnels, periods: periods, parts: parts, in: db), users: users)
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

    /// `History.parts`: each funnel's sums per interval between consecutive `boundaries`, split
    /// by member for shared funnels. Stored periods are read from `member_period_total` (a few
    /// rows per funnel and period, a range of its key per funnel), any other interval is summed
    /// from the spendings. Funnels are numbered in the statement, so rows come back by position.
    static func parts(
        householdId: String, funnels: [FunnelRecord], boundaries: [Int64], in db: Database
    ) throws -> (parts: [[[MemberSum]]], users: [String]) {
        let intervals = boundaries.count - 1
        var parts = [[[MemberSum]]](repeating: Array(repeating: [], count: funnels.count), count: max(intervals, 0))
        var users: [String] = []
        guard !funnels.isEmpty, intervals > 0 else { return (parts, users) }
        // A few members, so a look along the list beats hashing a 36-character id per row.
        func user(_ id: String?) -> Int? {
            guard let id else { return nil }
            if let known = users.firstIndex(of: id) { return known }
            users.append(id)
            return users.count - 1
        }
        var wanted = StatementArguments()
        for (position, funnel) in funnels.enumerated() {
            wanted += [position, funnel.id, funnel.shared]
        }
        let wantedRows = Array(repeating: "(?, ?, ?)", count: funnels.count).joined(separator: ", ")
        let stored = try StoredPeriods.stored(householdId: householdId, boundaries: boundaries, in: db)
        if !stored.isEmpty {
            let statement = try db.cachedStatement(sql: """
                WITH wanted(position, id, shared) AS (VALUES \(wantedRows))
                SELECT wanted.position, total.start_ms, CASE WHEN wanted.shared THEN total.user_id END, total.amount_minor
                FROM wanted JOIN member_period_total AS total ON total.funnel_id = wanted.id
                WHERE total.start_ms >= ? AND total.start_ms < ? AND total.spending_count > 0
                """)
            let rows = try Row.fetchCursor(statement, arguments: wanted + [boundaries[0], boundaries[intervals]])
            while let row = try rows.next() {
                guard let index = stored[row[1]] else { continue }
                let position: Int = row[0]
                let member = user(row[2])
                if member == nil, let last = parts[index][position].popLast() {
                    // A personal funnel's members are added up: it is not split.
                    parts[index][position].append(MemberSum(user: nil, spent: last.spent + (row[3] as Int64)))
                } else {
                    parts[index][position].append(MemberSum(user: member, spent: row[3]))
                }
            }
        }
        let summed = (0..<intervals).filter { stored[boundaries[$0]] == nil }
        guard !summed.isEmpty else { return (parts, users) }
        var arguments = StatementArguments()
        for index in summed {
            arguments += [index, boundaries[index], boundaries[index + 1]]
        }
        // Not kept compiled, like `sumsStatement`: the rare path of a period that is not stored.
        let rows = try Row.fetchCursor(db, sql: """
            WITH interval(number, start, end) AS (VALUES \(Array(repeating: "(?, ?, ?)", count: summed.count).joined(separator: ", "))),
                wanted(position, id, shared) AS (VALUES \(wantedRows))
            SELECT interval.number, wanted.position, CASE WHEN wanted.shared THEN spending.user_id END AS member, SUM(spending.amount_minor)
            FROM interval, wanted JOIN spending INDEXED BY spending_on_funnel_timestamp
                ON spending.funnel_id = wanted.id AND spending.timestamp >= interval.start AND spending.timestamp < interval.end
            GROUP BY interval.number, wanted.position, member
            """, arguments: arguments + wanted)
        while let row = try rows.next() {
            parts[row[0]][row[1]].append(MemberSum(user: user(row[2]), spent: row[3]))
        }
        return (parts, users)
    }

    /// `History.firstPeriod`: a funnel made before the first period ends, or with a spending in
    /// it or before it, has begun in the first; any other in the first period it has a spending
    /// in or was made in. Only a funnel made later with nothing in the first period costs a
    /// look for an older spending (one step down the funnel index).
    static func firstPeriods(_ funnels: [FunnelRecord], periods: [BudgetPeriod], parts: [[[MemberSum]]], in db: Database) throws -> [Int] {
        guard let first = periods.first else { return funnels.map { _ in 0 } }
        return try funnels.enumerated().map { position, funnel in
            if funnel.createdAt < first.endMillis || !parts[0][position].isEmpty { return 0 }
            let statement = try db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM spending INDEXED BY spending_on_funnel_timestamp WHERE funnel_id = ? AND timestamp < ?)")
            if try Bool.fetchOne(statement, arguments: [funnel.id, first.startMillis]) == true { return 0 }
            let created = periods.firstIndex { funnel.createdAt < $0.endMillis } ?? periods.count
            let recorded = parts.firstIndex { !$0[position].isEmpty } ?? periods.count
            return min(created, recorded)
        }
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
