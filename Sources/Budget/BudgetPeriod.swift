import Foundation

/// One budget period: the instants [start, end), and the local days they cover.
public struct BudgetPeriod: Sendable, Hashable {
    /// Local midnight (or the day's first instant) of `firstDay` in the rule's time zone.
    public let start: Date
    /// Start of the next period; not part of this one.
    public let end: Date
    /// Local calendar days from `firstDay` to the next period's first day (28...31): the days in
    /// `firstDay`'s month, whatever DST does to their hours.
    public let length: Int
    /// The date the period is named after: the rule's start day in its month.
    public let firstDay: LocalDate
    /// Milliseconds since the epoch: the API's timestamps, exact.
    public let startMillis: Int64
    public let endMillis: Int64

    init(firstDay: LocalDate, nextFirstDay: LocalDate, startSecond: Int64, endSecond: Int64) {
        self.firstDay = firstDay
        self.length = firstDay.days(to: nextFirstDay)
        self.start = Instant.date(seconds: startSecond)
        self.end = Instant.date(seconds: endSecond)
        self.startMillis = startSecond * 1000
        self.endMillis = endSecond * 1000
    }

    /// The day before the next period's first day.
    public var lastDay: LocalDate { firstDay.adding(days: length - 1) }

    public func contains(_ date: Date) -> Bool {
        start <= date && date < end
    }

    public func contains(millis: Int64) -> Bool {
        startMillis <= millis && millis < endMillis
    }
}
