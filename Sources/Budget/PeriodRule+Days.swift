import Foundation

/// A local calendar day as an absolute interval: [start, end) in the rule's time zone.
public struct LocalDay: Sendable, Hashable {
    public let date: LocalDate
    public let start: Date
    public let end: Date

    public func contains(_ instant: Date) -> Bool {
        start <= instant && instant < end
    }
}

extension PeriodRule {
    /// The local day containing `now`: every figure that depends on "today" stays the same
    /// within it, so it bounds how long such a figure may be reused.
    public func day(containing now: Date) -> LocalDay {
        let today = localDate(of: now)
        return LocalDay(
            date: today,
            start: Instant.date(seconds: firstSecond(of: today)),
            end: Instant.date(seconds: firstSecond(of: today.adding(days: 1))))
    }
}
