import Foundation
import Testing

@testable import Budget

/// Instants at and around boundaries, far zones, neighbours, and the ends of time.
@Suite struct PeriodBoundaryTests {
    @Test(arguments: ["UTC", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago",
                      "America/Santiago", "Asia/Kathmandu", "Australia/Lord_Howe", "America/Havana"],
          [1, 15, 28])
    func oneMillisecondEitherSideOfABoundary(zoneIdentifier: String, startDay: Int) {
        let rule = rule(startDay, zoneIdentifier)
        var period = rule.period(containingMillis: millis("2025-12-20T12:00:00Z"))
        for _ in 0..<14 {
            let boundary = period.endMillis
            let earlier = rule.period(containingMillis: boundary - 1)
            let later = rule.period(containingMillis: boundary)
            #expect(earlier == period)
            #expect(later == rule.period(after: period))
            #expect(later.startMillis == boundary)
            #expect(earlier.contains(millis: boundary - 1) && !earlier.contains(millis: boundary))
            #expect(later.contains(millis: boundary) && !later.contains(millis: boundary - 1))
            #expect(rule.localDate(ofMillis: boundary) >= later.firstDay)
            #expect(rule.localDate(ofMillis: boundary - 1) < later.firstDay)
            #expect(rule.localDate(ofMillis: boundary - 1) == period.lastDay)
            period = later
        }
    }

    @Test func subMillisecondDatesFloor() {
        let rule = rule(1, "UTC")
        let boundary = millis("2026-03-01T00:00:00Z")
        let seconds = TimeInterval(boundary / 1000)
        let justBefore = Date(timeIntervalSince1970: seconds - 0.0001)
        let justAfter = Date(timeIntervalSince1970: seconds + 0.0001)
        #expect(rule.period(containing: justBefore).firstDay == day(2026, 2, 1))
        #expect(rule.period(containing: justAfter).firstDay == day(2026, 3, 1))
        let march = rule.period(containing: justAfter)
        #expect(!march.contains(justBefore))
        #expect(march.contains(justAfter))
        #expect(march.contains(march.start) && !march.contains(march.end))
        #expect(rule.localDate(of: justBefore) == day(2026, 2, 28))
        #expect(rule.localDate(of: justAfter) == day(2026, 3, 1))
        // Before the epoch flooring is not truncation: −0.5 s is in 1969.
        #expect(rule.period(containing: Date(timeIntervalSince1970: -0.5)).firstDay == day(1969, 12, 1))
        #expect(rule.period(containing: Date(timeIntervalSince1970: 0)).firstDay == day(1970, 1, 1))
        #expect(rule.localDate(of: Date(timeIntervalSince1970: -0.0001)) == day(1969, 12, 31))
    }

    @Test func localMidnightThatIsNoBoundary() {
        let rule = rule(1, "Europe/Berlin")
        let midnight = millis("2026-03-10T00:00:00+01:00")
        #expect(rule.localDate(ofMillis: midnight - 1) == day(2026, 3, 9))
        #expect(rule.localDate(ofMillis: midnight) == day(2026, 3, 10))
        let period = rule.period(containingMillis: midnight)
        #expect(rule.period(containingMillis: midnight - 1) == period)
        #expect(rule.daysAfterToday(in: period, nowMillis: midnight - 1) == 22)
        #expect(rule.daysAfterToday(in: period, nowMillis: midnight) == 21)
    }

    @Test func farZonesDisagreeAboutTheSameInstant() {
        let instant = millis("2026-01-01T10:00:00Z")
        let kiritimati = rule(1, "Pacific/Kiritimati").period(containingMillis: instant)  // UTC+14: Jan 1, 00:00
        #expect(kiritimati.firstDay == day(2026, 1, 1))
        #expect(kiritimati.startMillis == millis("2025-12-31T10:00:00Z"))
        #expect(kiritimati.startMillis == instant - dayMillis)
        #expect(rule(1, "Pacific/Kiritimati").period(containingMillis: instant - dayMillis - 1).firstDay == day(2025, 12, 1))
        let pagoPago = rule(1, "Pacific/Pago_Pago").period(containingMillis: instant)  // UTC−11: Dec 31, 23:00
        #expect(pagoPago.firstDay == day(2025, 12, 1))
        #expect(pagoPago.startMillis == millis("2025-12-01T11:00:00Z"))
        #expect(pagoPago.endMillis == millis("2026-01-01T11:00:00Z"))
        let utc = rule(1, "UTC").period(containingMillis: instant)
        #expect(utc.firstDay == day(2026, 1, 1))
        #expect(utc.startMillis == millis("2026-01-01T00:00:00Z"))
        #expect(utc.length == 31 && kiritimati.length == 31 && pagoPago.length == 31)
    }

    @Test(arguments: [
        ("2026-12-20T12:00:00+01:00", 15, (2026, 12, 15), "2026-12-15T00:00:00+01:00", "2027-01-15T00:00:00+01:00", 31),
        ("2027-01-05T12:00:00+01:00", 15, (2026, 12, 15), "2026-12-15T00:00:00+01:00", "2027-01-15T00:00:00+01:00", 31),
        ("2026-12-31T23:59:59+01:00", 1, (2026, 12, 1), "2026-12-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00", 31),
        ("2027-01-01T00:00:00+01:00", 1, (2027, 1, 1), "2027-01-01T00:00:00+01:00", "2027-02-01T00:00:00+01:00", 31),
        ("2027-01-10T00:00:00+01:00", 28, (2026, 12, 28), "2026-12-28T00:00:00+01:00", "2027-01-28T00:00:00+01:00", 31),
        ("2027-01-28T00:00:00+01:00", 28, (2027, 1, 28), "2027-01-28T00:00:00+01:00", "2027-02-28T00:00:00+01:00", 31),
    ])
    func yearBoundary(instant: String, startDay: Int, first: (Int, Int, Int), start: String, end: String, length: Int) {
        let rule = rule(startDay, "Europe/Berlin")
        let period = rule.period(containingMillis: millis(instant))
        #expect(period.firstDay == day(first.0, first.1, first.2))
        #expect(period.startMillis == millis(start))
        #expect(period.endMillis == millis(end))
        #expect(period.length == length)
        #expect(rule.period(containingMillis: millis("2026-12-31T23:59:59+01:00") + 999).firstDay
                == (startDay == 1 ? day(2026, 12, 1) : startDay == 15 ? day(2026, 12, 15) : day(2026, 12, 28)))
    }

    @Test(arguments: ["UTC", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago",
                      "America/Santiago", "Asia/Kathmandu", "Pacific/Apia"],
          [1, 15, 28])
    func neighboursRoundTrip(zoneIdentifier: String, startDay: Int) {
        let rule = rule(startDay, zoneIdentifier)
        var period = rule.period(containingMillis: millis("2009-06-01T00:00:00Z"))
        for _ in 0..<(12 * 20) {
            let next = rule.period(after: period)
            #expect(next.startMillis == period.endMillis)
            #expect(next.start == period.end)
            #expect(next.firstDay == period.firstDay.adding(months: 1))
            #expect(rule.period(before: next) == period)
            #expect(rule.period(after: rule.period(before: period)) == period)
            #expect((28...31).contains(period.length))
            #expect(period.length == LocalDate.daysIn(month: period.firstDay.month, year: period.firstDay.year))
            #expect(period.firstDay.day == startDay)
            #expect(rule.period(containing: period.start) == period)
            period = next
        }
    }

    @Test func nearTheEpoch() {
        let utc = rule(1, "UTC")
        let january = utc.period(containingMillis: 0)
        #expect(january.startMillis == 0)
        #expect(january.endMillis == 31 * dayMillis)
        #expect(january.start == Date(timeIntervalSince1970: 0))
        let december = utc.period(containingMillis: -1)
        #expect(december.firstDay == day(1969, 12, 1))
        #expect(december.startMillis == -31 * dayMillis)
        #expect(december.endMillis == 0)
        #expect(utc.period(before: january) == december)
        let berlin = rule(1, "Europe/Berlin").period(containingMillis: 0)  // 01:00 local
        #expect(berlin.firstDay == day(1970, 1, 1))
        #expect(berlin.startMillis == -hourMillis)
        let newYork = rule(1, "America/New_York").period(containingMillis: 0)  // 19:00 on Dec 31
        #expect(newYork.firstDay == day(1969, 12, 1))
        #expect(newYork.endMillis == 5 * hourMillis)
        let fifteenth = rule(15, "UTC").period(containingMillis: 0)
        #expect(fifteenth.firstDay == day(1969, 12, 15))
        #expect(fifteenth.length == 31)
    }

    @Test func nearTheYear9999() {
        let last: Int64 = 253_402_300_799_999  // 9999-12-31T23:59:59.999Z
        let utc = rule(1, "UTC")
        let december = utc.period(containingMillis: last)
        #expect(december.firstDay == day(9999, 12, 1))
        #expect(december.startMillis == 253_399_622_400_000)
        #expect(december.endMillis == last + 1)
        #expect(december.length == 31)
        #expect(utc.daysAfterToday(in: december, nowMillis: last) == 0)
        let kiritimati = rule(1, "Pacific/Kiritimati").period(containingMillis: last)  // already year 10000
        #expect(kiritimati.firstDay == LocalDate(year: 10_000, month: 1, day: 1))
        #expect(kiritimati.startMillis == last + 1 - 14 * hourMillis)
        #expect(kiritimati.length == 31)
        let pagoPago = rule(28, "Pacific/Pago_Pago").period(containingMillis: last)
        #expect(pagoPago.firstDay == day(9999, 12, 28))
        #expect(pagoPago.startMillis == millis("9999-12-28T00:00:00-11:00"))
        #expect(rule(15, "Europe/Berlin").period(containing: date("9999-12-31T23:59:59Z")).firstDay == day(9999, 12, 15))
    }

    @Test func instantsOutsideTheSupportedRangeAreClampedWithoutTrapping() {
        let utc = rule(1, "UTC")
        let lastDecember = utc.period(containingMillis: 253_402_300_799_999)
        #expect(utc.period(containingMillis: Int64.max) == lastDecember)
        #expect(utc.period(containingMillis: 253_402_300_800_000) == lastDecember)
        #expect(utc.period(after: lastDecember) == lastDecember)  // saturates at the end of time
        let firstJanuary = utc.period(containingMillis: Int64.min)
        #expect(firstJanuary.firstDay == day(1600, 1, 1))
        #expect(firstJanuary.startMillis == -11_676_096_000_000)
        #expect(utc.period(before: firstJanuary) == firstJanuary)
        for value in [Date.distantPast, Date(timeIntervalSince1970: -.infinity), Date(timeIntervalSince1970: .nan),
                      Date(timeIntervalSince1970: -1e300)] {
            #expect(utc.period(containing: value) == firstJanuary)
        }
        for value in [Date(timeIntervalSince1970: .infinity), Date(timeIntervalSince1970: 1e300)] {
            #expect(utc.period(containing: value) == lastDecember)
        }
        #expect(utc.period(containing: .distantFuture).firstDay == day(4001, 1, 1))
        let berlin = rule(28, "Europe/Berlin")
        _ = berlin.period(containingMillis: .max)
        _ = berlin.period(containingMillis: .min)
        _ = berlin.daysAfterToday(in: berlin.period(containingMillis: 0), nowMillis: .max)
        _ = berlin.localDate(ofMillis: .min)
    }

    @Test func dateAndMillisOverloadsAgree() {
        let rule = rule(15, "America/New_York")
        for instant in ["2026-03-08T06:59:59Z", "2026-03-15T04:00:00Z", "2026-03-15T03:59:59Z", "1999-12-31T23:59:59Z"] {
            #expect(rule.period(containing: date(instant)) == rule.period(containingMillis: millis(instant)))
            let period = rule.period(containingMillis: millis(instant))
            #expect(rule.daysAfterToday(in: period, now: date(instant)) == rule.daysAfterToday(in: period, nowMillis: millis(instant)))
            #expect(rule.localDate(of: date(instant)) == rule.localDate(ofMillis: millis(instant)))
            #expect(period.contains(date(instant)) == period.contains(millis: millis(instant)))
        }
    }
}
