import Budget
import Foundation
import Storage

/// The funnels a new household starts with, shared with everyone in it (as the old app had them).
enum DefaultFunnels {
    static func make(householdID: String, ownerID: String, currency: String, now: Int64) -> [FunnelRecord] {
        // 2000 in the currency's own units: 2000.00 EUR, 2000 JPY.
        let limit = (try? Money(parsing: "2000", exponent: Currency(code: currency)?.exponent ?? 2))?.minorUnits ?? 200_000
        return [("🍞", "Food", "#ffa500"), ("🛍️", "Misc", "#48d1cc")].enumerated().map { position, funnel in
            FunnelRecord(
                id: UUID().uuidString.lowercased(), householdID: householdID, ownerID: ownerID, shared: true,
                name: funnel.1, limitMinor: limit, color: funnel.2, emoji: funnel.0, position: position, createdAt: now)
        }
    }
}

extension AppServices {
    /// A household of one, with the settings' currency and period rule.
    func newHousehold(for username: String) -> HouseholdRecord {
        HouseholdRecord(
            id: UUID().uuidString.lowercased(), name: "\(username)'s household", currency: settings.currency,
            periodStartDay: settings.periodStartDay, timeZone: settings.timeZone, createdAt: nowMillis)
    }
}
