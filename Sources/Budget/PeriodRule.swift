import Foundation

/// The household's rule for monthly budget periods: each starts on `startDay` at local midnight
/// in `timeZone` and ends where the next one starts.
///
/// `startDay` stops at 28 so that every month has the day and periods never drift.
/// Instants are handled from 1600-01-01 to 9999-12-31 (UTC); earlier or later ones are clamped
/// to that range, so no input traps.
public struct PeriodRule: Sendable, Hashable {
    public let startDay: Int
    public let timeZone: TimeZone
    let calendar: Calendar

    /// `nil` unless `startDay` is in 1...28.
    public init?(startDay: Int, timeZone: TimeZone) {
        guard (1...28).contains(startDay) else { return nil }
        self.startDay = startDay
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public static func == (lhs: PeriodRule, rhs: PeriodRule) -> Bool {
        lhs.startDay == rhs.startDay && lhs.timeZone == rhs.timeZone
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(startDay)
        hasher.combine(timeZone)
    }

    /// The calendar date in the rule's time zone at `date`.
    public func localDate(of date: Date) -> LocalDate {
        localDate(atSecond: Instant.seconds(flooring: date))
    }

    /// The calendar date in the rule's time zone at `millis` since the epoch.
    public func localDate(ofMillis millis: Int64) -> LocalDate {
        localDate(atSecond: floorDivide(Instant.clamped(millis: millis), 1000))
    }

    /// Local dates only change on whole seconds, so the second containing an instant has its date.
    func localDate(atSecond second: Int64) -> LocalDate {
        let components = calendar.dateComponents([.year, .month, .day], from: Instant.date(seconds: second))
        if let year = components.year, let month = components.month, let day = components.day {
            return LocalDate(unchecked: year, month, day)
        }
        let offset = Int64(timeZone.secondsFromGMT(for: Instant.date(seconds: second)))
        return LocalDate(dayNumber: Int(floorDivide(second + offset, 86_400)))
    }

    /// The first instant (in seconds) whose local date is `day` or later: local midnight, or the
    /// first instant of the day where the zone skips midnight (America/Santiago's DST start), or
    /// the start of the next day where the zone skips the whole day (Pacific/Apia, 2011-12-30).
    ///
    /// Asks the calendar (its `startOfDay` has these semantics), then checks the answer, since a
    /// wrong boundary would silently move spendings between periods.
    func firstSecond(of day: LocalDate) -> Int64 {
        let noon = DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)
        if let date = calendar.date(from: noon) {
            let second = Instant.seconds(flooring: calendar.startOfDay(for: date))
            if localDate(atSecond: second) >= day, localDate(atSecond: second - 1) < day {
                return second
            }
        }
        return searchFirstSecond(of: day)
    }

    /// Bisection for the same instant; relies only on local dates never going backwards, which
    /// holds for every transition in tzdata after 1970.
    func searchFirstSecond(of day: LocalDate) -> Int64 {
        // Zone offsets stay within ±26 hours, so the answer lies within two days of UTC midnight.
        let utcMidnight = Int64(day.dayNumber) * 86_400
        var low = utcMidnight - 2 * 86_400  // local date before `day`
        var high = utcMidnight + 2 * 86_400  // local date `day` or later
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if localDate(atSecond: middle) >= day { high = middle } else { low = middle }
        }
        return high
    }
}
