import Budget
import Foundation
import Storage

/// How a household of one starts, for a new account or a member who leaves: the settings'
/// currency and period rule, and the funnels the old app started with, shared with everyone
/// who joins later (🍞 Food and 🛍️ Misc, 2000 in the currency's own units each).
struct NewHouseholds: Sendable {
    let currency: String
    let periodStartDay: Int
    let timeZone: String

    init(settings: AppSettings) {
        currency = settings.currency
        periodStartDay = settings.periodStartDay
        timeZone = settings.timeZone
    }

    /// `timeZone`: the one the new owner's phone gave, else the settings' TIME_ZONE.
    func make(for username: String, ownerId: String, timeZone given: String? = nil, now: Int64) -> (household: HouseholdRecord, funnels: [FunnelRecord]) {
        let household = HouseholdRecord(
            id: UUID().uuidString.lowercased(), name: "\(username)'s household", currency: currency,
            periodStartDay: periodStartDay, timeZone: given ?? timeZone, createdAt: now)
        // 2000.00 EUR, 2000 JPY.
        let limit = (try? Money(parsing: "2000", exponent: household.exponent))?.minorUnits ?? 200_000
        let funnels = [("🍞", "Food", "#ffa500"), ("🛍️", "Misc", "#48d1cc")].enumerated().map { position, funnel in
            FunnelRecord(
                id: UUID().uuidString.lowercased(), householdId: household.id, ownerId: ownerId, shared: true,
                name: funnel.1, limitMinor: limit, color: funnel.2, emoji: funnel.0, position: position, createdAt: now)
        }
        return (household, funnels)
    }
}
