import Budget
import Foundation

extension HouseholdRecord {
    /// The stored rule; values are validated on the way in, so the fallbacks only guard old rows.
    public var periodRule: PeriodRule {
        PeriodRule(startDay: periodStartDay, timeZone: TimeZone(identifier: timeZone) ?? .gmt)
            ?? PeriodRule(startDay: 1, timeZone: .gmt)!
    }

    /// Decimals of the household's currency: amounts are stored in its minor units.
    public var exponent: Int { Currency(code: currency)?.exponent ?? 2 }
}
