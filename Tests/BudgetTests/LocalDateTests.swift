import Foundation
import Testing

@testable import Budget

@Suite struct LocalDateTests {
    @Test(arguments: [
        (1970, 1, 1, 0), (1970, 1, 2, 1), (1969, 12, 31, -1), (2000, 3, 1, 11_017), (2000, 2, 29, 11_016),
        (2026, 9, 15, 20_711), (1600, 1, 1, -135_140), (9999, 12, 31, 2_932_896), (10_000, 1, 1, 2_932_897),
    ])
    func dayNumbers(year: Int, month: Int, day: Int, number: Int) {
        let date = LocalDate(unchecked: year, month, day)
        #expect(date.dayNumber == number)
        #expect(LocalDate(dayNumber: number) == date)
    }

    @Test func dayNumbersAgreeWithFoundationInUTC() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Every 7th day from 1600 to 10000: crosses every kind of leap rule many times.
        for number in stride(from: -135_140, through: 2_932_897, by: 7) {
            let date = LocalDate(dayNumber: number)
            let components = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(number) * 86_400))
            #expect(components.year == date.year && components.month == date.month && components.day == date.day,
                    "day \(number): \(date)")
            #expect(date.dayNumber == number)
        }
    }

    @Test(arguments: [(2024, true), (2023, false), (2000, true), (2100, false), (1900, false), (2400, true),
                      (1600, true), (2028, true), (9996, true), (9999, false)])
    func leapYears(year: Int, leap: Bool) {
        #expect(LocalDate.isLeap(year: year) == leap)
        #expect(LocalDate.daysIn(month: 2, year: year) == (leap ? 29 : 28))
        #expect(LocalDate(year: year, month: 2, day: 29) == (leap ? LocalDate(unchecked: year, 2, 29) : nil))
    }

    @Test func monthLengths() {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for (index, length) in lengths.enumerated() {
            #expect(LocalDate.daysIn(month: index + 1, year: 2026) == length)
        }
    }

    @Test(arguments: [(2026, 0, 1), (2026, 13, 1), (2026, 1, 0), (2026, 1, 32), (2026, 4, 31), (2023, 2, 29),
                      (2100, 2, 29), (2026, -1, 5)])
    func invalidDatesAreRejected(year: Int, month: Int, day: Int) {
        #expect(LocalDate(year: year, month: month, day: day) == nil)
    }

    @Test(arguments: [
        ((2026, 1, 31), 1, (2026, 2, 28)), ((2024, 1, 31), 1, (2024, 2, 29)), ((2026, 12, 15), 1, (2027, 1, 15)),
        ((2027, 1, 15), -1, (2026, 12, 15)), ((2026, 3, 31), -1, (2026, 2, 28)), ((2026, 5, 28), 12, (2027, 5, 28)),
        ((2026, 5, 28), -25, (2024, 4, 28)), ((9999, 12, 1), 1, (10_000, 1, 1)), ((2026, 8, 31), 0, (2026, 8, 31)),
    ])
    func addingMonths(from: (Int, Int, Int), months: Int, to: (Int, Int, Int)) {
        let start = LocalDate(unchecked: from.0, from.1, from.2)
        #expect(start.adding(months: months) == LocalDate(unchecked: to.0, to.1, to.2))
    }

    @Test func addingDaysAndCounting() {
        let start = day(2026, 9, 15)
        #expect(start.adding(days: 29) == day(2026, 10, 14))
        #expect(start.adding(days: -15) == day(2026, 8, 31))
        #expect(start.days(to: day(2026, 10, 15)) == 30)
        #expect(day(2026, 10, 15).days(to: start) == -30)
        #expect(day(2024, 2, 28).days(to: day(2024, 3, 1)) == 2)
        #expect(day(2023, 2, 28).days(to: day(2023, 3, 1)) == 1)
        #expect(day(2026, 12, 31).adding(days: 1) == day(2027, 1, 1))
    }

    @Test func orderAndText() {
        #expect(day(2026, 9, 15) < day(2026, 9, 16))
        #expect(day(2026, 9, 30) < day(2026, 10, 1))
        #expect(day(2025, 12, 31) < day(2026, 1, 1))
        #expect(day(2026, 9, 15).description == "2026-09-15")
        #expect(day(999, 1, 5).description == "0999-01-05")
        #expect(LocalDate(unchecked: 10_000, 1, 1).description == "10000-01-01")
    }
}

@Suite struct LocalDayTests {
    @Test(arguments: [
        // A 23-hour day (spring forward) and a 25-hour day (fall back) in Berlin, a plain day in New York.
        ("Europe/Berlin", "2026-03-29T12:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"),
        ("Europe/Berlin", "2026-10-25T12:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"),
        ("America/New_York", "2026-09-20T03:59:59Z", "2026-09-19T04:00:00Z", "2026-09-20T04:00:00Z"),
        ("America/New_York", "2026-09-20T04:00:00Z", "2026-09-20T04:00:00Z", "2026-09-21T04:00:00Z"),
    ])
    func dayBoundsAreLocalMidnights(zone: String, now: String, start: String, end: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let rule = try #require(PeriodRule(startDay: 1, timeZone: timeZone))
        let formatter = ISO8601DateFormatter()
        let instant = try #require(formatter.date(from: now))
        let day = rule.day(containing: instant)
        #expect(day.start == formatter.date(from: start))
        #expect(day.end == formatter.date(from: end))
        #expect(day.contains(instant))
        #expect(!day.contains(day.end))
        #expect(rule.localDate(of: day.start) == day.date)
        #expect(rule.localDate(of: day.end.addingTimeInterval(-0.001)) == day.date)
    }
}
