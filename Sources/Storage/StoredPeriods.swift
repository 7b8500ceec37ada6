import Budget
import Foundation
import GRDB

/// Each household's budget periods, stored (`budget_period`) so that the schema can keep every
/// funnel's sum per period (`funnel_period_total`) up to date in each write that adds, moves or
/// removes a spending (migration v5's triggers). A view then reads one row per (period, funnel)
/// instead of every spending in the period.
///
/// The stored periods are a cache of `PeriodRule` in the database: a period the views ask for
/// that is not stored exactly (before or after the window, or a rule changed behind the
/// server's back) is summed from the spendings, so a stale or missing window is slower, never wrong.
enum StoredPeriods {
    /// The window stored around the moment a household is created or its rule changes: old
    /// imports reach years back, and a server runs for years without a rule change.
    static let yearsBefore = 15
    static let yearsAfter = 20

    /// Replaces the household's stored periods with those of `rule` around `now`; the triggers
    /// recompute every funnel's sums for the new periods in the same transaction.
    static func replace(householdId: String, rule: PeriodRule, now: Date, in db: Database) throws {
        try db.execute(sql: "DELETE FROM budget_period WHERE household_id = ?", arguments: [householdId])
        let nowMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let from = nowMillis - Int64(yearsBefore) * 366 * 86_400_000
        let insert = try db.cachedStatement(sql: "INSERT INTO budget_period (household_id, start_ms, end_ms) VALUES (?, ?, ?)")
        for period in rule.periods(fromMillis: from, count: (yearsBefore + yearsAfter) * 12) {
            try insert.execute(arguments: [householdId, period.startMillis, period.endMillis])
        }
    }

    /// Of the intervals between consecutive `boundaries`, the numbers of those stored as periods
    /// of the household, by their start.
    static func stored(householdId: String, boundaries: [Int64], in db: Database) throws -> [Int64: Int] {
        guard let first = boundaries.first, let last = boundaries.last, boundaries.count > 1 else { return [:] }
        let statement = try db.cachedStatement(
            sql: "SELECT start_ms, end_ms FROM budget_period WHERE household_id = ? AND start_ms >= ? AND start_ms < ?")
        var ends: [Int64: Int64] = [:]
        let rows = try Row.fetchCursor(statement, arguments: [householdId, first, last])
        while let row = try rows.next() {
            ends[row[0]] = row[1]
        }
        var stored: [Int64: Int] = [:]
        for index in 0..<(boundaries.count - 1) where ends[boundaries[index]] == boundaries[index + 1] {
            stored[boundaries[index]] = index
        }
        return stored
    }
}
