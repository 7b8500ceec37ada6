import Foundation
import Testing

@testable import Budget

/// Periods against the calendar: month ends, leap years, every start day.
@Suite struct PeriodMonthTests {
    @Test func designWorkedExample() {
        // docs/architecture.md: period starts on the 15th, today is Sep 20 → Sep 15–Oct 14, length 30, 24 days after today.
        let rule = rule(15, "Europe/Berlin")
        let now = date("2026-09-20T12:00:00+02:00")
        let period = rule.period(containing: now)
        #expect(period.firstDay == day(2026, 9, 15))
        #expect(period.lastDay == day(2026, 10, 14))
        #expect(period.length == 30)
        #expect(period.start == date("2026-09-15T00:00:00+02:00"))
        #expect(period.end == date("2026-10-15T00:00:00+02:00"))
        #expect(period.startMillis == millis("2026-09-15T00:00:00+02:00"))
        #expect(period.endMillis == millis("2026-10-15T00:00:00+02:00"))
        #expect(rule.daysAfterToday(in: period, now: now) == 24)
        #expect(period.contains(now))
    }

    @Test func startDayIsValidated() {
        for startDay in 1...28 { #expect(PeriodRule(startDay: startDay, timeZone: zone("UTC")) != nil) }
        for startDay in [Int.min, -1, 0, 29, 30, 31, 32, Int.max] {
            #expect(PeriodRule(startDay: startDay, timeZone: zone("UTC")) == nil)
        }
    }

    @Test func rulesCompareByDayAndZone() {
        #expect(rule(15, "Europe/Berlin") == rule(15, "Europe/Berlin"))
        #expect(rule(15, "Europe/Berlin").hashValue == rule(15, "Europe/Berlin").hashValue)
        #expect(rule(15, "Europe/Berlin") != rule(14, "Europe/Berlin"))
        #expect(rule(15, "Europe/Berlin") != rule(15, "Europe/Paris"))
        #expect(rule(15, "UTC").startDay == 15)
        #expect(rule(15, "Asia/Tokyo").timeZone.identifier == "Asia/Tokyo")
    }

    /// Every start day the design highlights, in every month: the period begins at Foundation's
    /// local midnight of that day, and its length is Foundation's count of days between starts.
    @Test(arguments: [1, 15, 28], 1...12)
    func everyMonthOfTheYear(startDay: Int, month: Int) throws {
        for zoneIdentifier in ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"] {
            let rule = rule(startDay, zoneIdentifier)
            let firstDay = day(2026, month, startDay)
            let nextFirstDay = firstDay.adding(months: 1)
            let start = try #require(foundationMidnight(firstDay, in: rule.timeZone))
            let end = try #require(foundationMidnight(nextFirstDay, in: rule.timeZone))
            let inside = start.addingTimeInterval(36 * 3600)
            let period = rule.period(containing: inside)
            #expect(period.firstDay == firstDay)
            #expect(period.start == start)
            #expect(period.end == end)
            #expect(period.length == LocalDate.daysIn(month: month, year: 2026))
            #expect(period.length == foundationDays(from: start, to: end, in: rule.timeZone))
            #expect(period.lastDay == nextFirstDay.adding(days: -1))
        }
    }

    @Test(arguments: [
        // (year, month, startDay, expected length)
        (2024, 2, 1, 29), (2023, 2, 1, 28), (2100, 2, 1, 28), (2000, 2, 1, 29), (1900, 2, 1, 28),
        (2024, 2, 28, 29), (2023, 2, 28, 28), (2100, 2, 28, 28), (2000, 2, 28, 29), (2400, 2, 28, 29),
        (2024, 1, 28, 31), (2024, 2, 15, 29), (2023, 2, 15, 28), (2023, 1, 31 - 3, 31),
        (2026, 4, 28, 30), (2026, 12, 28, 31), (2026, 7, 28, 31), (2026, 8, 28, 31),
    ])
    func leapAndCommonYears(year: Int, month: Int, startDay: Int, length: Int) {
        let rule = rule(startDay, "UTC")
        let firstDay = day(year, month, startDay)
        let period = rule.period(containing: rule.period(firstDay: firstDay).start)
        #expect(period.firstDay == firstDay)
        #expect(period.length == length)
        #expect(period.endMillis - period.startMillis == Int64(length) * dayMillis)
    }

    @Test(arguments: [
        // (instant, startDay, first day, last day, length)
        ("2023-03-01T12:00:00Z", 28, (2023, 2, 28), (2023, 3, 27), 28),
        ("2024-03-01T12:00:00Z", 28, (2024, 2, 28), (2024, 3, 27), 29),
        ("2023-03-27T23:59:59Z", 28, (2023, 2, 28), (2023, 3, 27), 28),
        ("2023-03-31T00:00:00Z", 28, (2023, 3, 28), (2023, 4, 27), 31),
        ("2026-01-31T12:00:00Z", 28, (2026, 1, 28), (2026, 2, 27), 31),
        ("2026-02-28T00:00:00Z", 28, (2026, 2, 28), (2026, 3, 27), 28),
        ("2026-02-27T23:59:59Z", 28, (2026, 1, 28), (2026, 2, 27), 31),
        ("2026-12-31T12:00:00Z", 28, (2026, 12, 28), (2027, 1, 27), 31),
        ("2026-03-31T12:00:00Z", 1, (2026, 3, 1), (2026, 3, 31), 31),
        ("2026-04-30T12:00:00Z", 1, (2026, 4, 1), (2026, 4, 30), 30),
        ("2024-02-29T12:00:00Z", 1, (2024, 2, 1), (2024, 2, 29), 29),
        ("2024-02-29T12:00:00Z", 15, (2024, 2, 15), (2024, 3, 14), 29),
        ("2024-03-14T23:59:59Z", 15, (2024, 2, 15), (2024, 3, 14), 29),
        ("2026-05-31T12:00:00Z", 31 - 3, (2026, 5, 28), (2026, 6, 27), 31),
    ])
    func monthEnds(instant: String, startDay: Int, first: (Int, Int, Int), last: (Int, Int, Int), length: Int) {
        let period = rule(startDay, "UTC").period(containingMillis: millis(instant))
        #expect(period.firstDay == day(first.0, first.1, first.2))
        #expect(period.lastDay == day(last.0, last.1, last.2))
        #expect(period.length == length)
    }

    /// Every start day 1...28 in every month of a common, a leap and two century years.
    @Test(arguments: [2023, 2024, 2100, 2000])
    func lengthIsTheDaysBetweenStarts(year: Int) throws {
        let zone = zone("Europe/Berlin")
        for startDay in 1...28 {
            let rule = try #require(PeriodRule(startDay: startDay, timeZone: zone))
            var period = rule.period(firstDay: day(year, 1, startDay))
            for month in 1...12 {
                #expect(period.firstDay == day(year, month, startDay))
                #expect(period.length == LocalDate.daysIn(month: month, year: year))
                #expect(period.length == foundationDays(from: period.start, to: period.end, in: zone))
                period = rule.period(after: period)
            }
        }
    }
}
