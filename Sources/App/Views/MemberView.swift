import Budget
import Foundation
import Storage

/// What one member sees of their household at one moment: the current period, the funnels
/// they may see with their spendings' sums in it, and the latest spendings.
struct MemberView: Sendable {
    let household: HouseholdRecord
    let rule: PeriodRule
    let period: BudgetPeriod
    let exponent: Int
    let funnels: [(funnel: FunnelRecord, spent: Int64)]
    let recent: [SpendingRecord]

    static let recentCount = 20

    static func load(identity: Identity, storage: Storage, now: Date) async throws -> MemberView {
        guard let household = try await storage.households.household(id: identity.householdID) else {
            throw APIError.tokenBlacklisted
        }
        let rule = household.periodRule
        let period = rule.period(containing: now)
        let visible = try await storage.funnels.funnelsWithTotals(
            householdID: household.id, userID: identity.userID, from: period.startMillis, to: period.endMillis)
        let recent = try await storage.spendings.recent(
            householdID: household.id, funnelIDs: visible.map(\.0.id), limit: recentCount)
        return MemberView(
            household: household, rule: rule, period: period, exponent: household.exponent,
            funnels: visible.map { (funnel: $0.0, spent: $0.1) }, recent: recent)
    }

    /// Whole local days left in the view's period after the day of `now`.
    func daysAfterToday(at now: Date) -> Int {
        rule.daysAfterToday(in: period, now: now)
    }

    func money(_ minorUnits: Int64) -> Decimal {
        Money(minorUnits: minorUnits, exponent: exponent).decimal
    }
}

extension HouseholdRecord {
    /// The stored rule; values are validated on the way in, so the fallbacks only guard old rows.
    var periodRule: PeriodRule {
        PeriodRule(startDay: periodStartDay, timeZone: TimeZone(identifier: timeZone) ?? .gmt)
            ?? PeriodRule(startDay: 1, timeZone: .gmt)!
    }

    var exponent: Int { Currency(code: currency)?.exponent ?? 2 }
}
