import Foundation
import Testing

@testable import Budget

/// Invariants over every time zone Foundation knows, and the calendar's boundary against a
/// bisection that assumes nothing but monotonic local dates.
@Suite struct ZoneSweepTests {
    @Test(arguments: [1, 28])
    func everyKnownZoneKeepsTheInvariants(startDay: Int) throws {
        for identifier in TimeZone.knownTimeZoneIdentifiers {
            let rule = try #require(PeriodRule(startDay: startDay, timeZone: zone(identifier)))
            var period = rule.period(containingMillis: millis("2024-01-15T00:00:00Z"))
            for _ in 0..<36 {
                #expect(period.startMillis < period.endMillis, "\(identifier) \(period.firstDay)")
                #expect(period.length == LocalDate.daysIn(month: period.firstDay.month, year: period.firstDay.year))
                #expect(period.firstDay.day == startDay)
                #expect(rule.localDate(ofMillis: period.startMillis) >= period.firstDay, "\(identifier) \(period.firstDay)")
                #expect(rule.localDate(ofMillis: period.startMillis - 1) < period.firstDay, "\(identifier) \(period.firstDay)")
                #expect(rule.period(containingMillis: period.startMillis) == period)
                #expect(rule.period(containingMillis: period.endMillis - 1) == period)
                if let midnight = foundationMidnight(period.firstDay, in: rule.timeZone) {
                    #expect(period.start == midnight, "\(identifier) \(period.firstDay)")
                }
                let next = rule.period(after: period)
                #expect(next.startMillis == period.endMillis)
                period = next
            }
        }
    }

    @Test(arguments: ["America/Santiago", "America/Havana", "Asia/Beirut", "Europe/Berlin", "America/New_York",
                      "Australia/Lord_Howe", "Asia/Tehran", "America/Sao_Paulo", "Pacific/Apia", "Pacific/Kwajalein",
                      "Pacific/Kiritimati", "Africa/Casablanca", "Asia/Gaza", "Pacific/Chatham", "America/Asuncion"])
    func calendarBoundaryMatchesBisection(zoneIdentifier: String) throws {
        let rule = try #require(PeriodRule(startDay: 1, timeZone: zone(zoneIdentifier)))
        // Every day of years around each zone's odd transitions.
        for year in [1993, 1994, 2011, 2018, 2021, 2026] {
            var date = day(year, 1, 1)
            while date.year == year {
                #expect(rule.firstSecond(of: date) == rule.searchFirstSecond(of: date), "\(zoneIdentifier) \(date)")
                date = date.adding(days: 1)
            }
        }
    }
}
