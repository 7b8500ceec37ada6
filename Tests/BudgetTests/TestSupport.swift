import Foundation
import Testing

@testable import Budget

/// Test oracles come from Foundation's own ISO 8601 parser and calendar, independent of the
/// module's arithmetic.

func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else {
        Issue.record("time zone \(identifier) missing from tzdata")
        return TimeZone(identifier: "UTC")!
    }
    return zone
}

func rule(_ startDay: Int, _ zoneIdentifier: String) -> PeriodRule {
    PeriodRule(startDay: startDay, timeZone: zone(zoneIdentifier))!
}

/// Milliseconds since the epoch of an ISO 8601 instant with an explicit offset, whole seconds,
/// e.g. "2026-03-29T00:00:00+01:00".
func millis(_ iso: String) -> Int64 {
    guard let date = try? Date(iso, strategy: .iso8601) else {
        Issue.record("unparsable test instant \(iso)")
        return 0
    }
    return Int64(date.timeIntervalSince1970) * 1000
}

func date(_ iso: String) -> Date {
    Date(timeIntervalSince1970: TimeInterval(millis(iso) / 1000))
}

func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
    LocalDate(year: year, month: month, day: day)!
}

/// Foundation's count of calendar days between two instants in `zone`.
func foundationDays(from start: Date, to end: Date, in zone: TimeZone) -> Int? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.dateComponents([.day], from: start, to: end).day
}

/// Foundation's local midnight of a date (nil if the zone skipped that midnight).
func foundationMidnight(_ date: LocalDate, in zone: TimeZone) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let components = DateComponents(year: date.year, month: date.month, day: date.day)
    guard let candidate = calendar.date(from: components) else { return nil }
    let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: candidate)
    guard local.year == date.year, local.month == date.month, local.day == date.day,
        local.hour == 0, local.minute == 0, local.second == 0
    else { return nil }
    return candidate
}

func foundationNoon(_ date: LocalDate, in zone: TimeZone) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))
}

let dayMillis: Int64 = 86_400_000
let hourMillis: Int64 = 3_600_000
