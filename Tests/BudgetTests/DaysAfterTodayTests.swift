import Foundation
import Testing

@testable import Budget

@Suite struct DaysAfterTodayTests {
    static let berlin = PeriodRule(startDay: 15, timeZone: TimeZone(identifier: "Europe/Berlin")!)!
    static let september = berlin.period(containingMillis: 1_789_900_000_000)  // 2026-09-20

    @Test(arguments: [
        ("2026-09-15T00:00:00+02:00", 29), ("2026-09-15T23:59:59+02:00", 29), ("2026-09-16T00:00:00+02:00", 28),
        ("2026-09-20T00:00:00+02:00", 24), ("2026-09-20T12:00:00+02:00", 24), ("2026-09-20T23:59:59+02:00", 24),
        ("2026-09-30T12:00:00+02:00", 14), ("2026-10-01T00:00:00+02:00", 13), ("2026-10-13T12:00:00+02:00", 1),
        ("2026-10-14T00:00:00+02:00", 0), ("2026-10-14T23:59:59+02:00", 0),
        // Outside the period: clamped to the whole period ahead, or none.
        ("2026-09-14T23:59:59+02:00", 29), ("2026-01-01T00:00:00+01:00", 29), ("2026-10-15T00:00:00+02:00", 0),
        ("2030-01-01T00:00:00+01:00", 0),
    ])
    func countsLocalDaysAfterToday(instant: String, days: Int) {
        #expect(Self.september.firstDay == day(2026, 9, 15))
        #expect(Self.berlin.daysAfterToday(in: Self.september, nowMillis: millis(instant)) == days)
        #expect(Self.berlin.daysAfterToday(in: Self.september, now: date(instant)) == days)
    }

    @Test func lastMillisecondOfThePeriod() {
        #expect(Self.berlin.daysAfterToday(in: Self.september, nowMillis: Self.september.endMillis - 1) == 0)
        #expect(Self.berlin.daysAfterToday(in: Self.september, nowMillis: Self.september.startMillis) == Self.september.length - 1)
        #expect(Self.berlin.daysAfterToday(in: Self.september, nowMillis: Self.september.startMillis - 1) == Self.september.length - 1)
    }

    /// Every day of several periods: the first counts length − 1, each next day one less.
    @Test(arguments: ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "America/Santiago", "UTC"])
    func countsDownOneEachDay(zoneIdentifier: String) throws {
        let rule = rule(1, zoneIdentifier)
        var period = rule.period(containingMillis: millis("2026-01-10T12:00:00Z"))
        for _ in 0..<12 {
            for offset in 0..<period.length {
                let today = period.firstDay.adding(days: offset)
                let noon = try #require(foundationNoon(today, in: rule.timeZone))
                #expect(rule.daysAfterToday(in: period, now: noon) == period.length - 1 - offset, "\(today)")
            }
            period = rule.period(after: period)
        }
    }

    @Test func usesTheRulesZoneNotUTC() {
        // 23:30 in New York is already tomorrow in UTC.
        let now = millis("2026-09-10T23:30:00-04:00")
        let newYork = rule(1, "America/New_York")
        #expect(newYork.daysAfterToday(in: newYork.period(containingMillis: now), nowMillis: now) == 20)
        let utc = rule(1, "UTC")
        #expect(utc.daysAfterToday(in: utc.period(containingMillis: now), nowMillis: now) == 19)
    }
}
