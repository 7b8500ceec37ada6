import Foundation
import Testing

@testable import Budget

/// Clock changes: a DST day is one day, and boundaries sit on the right instant.
@Suite struct PeriodDSTTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let zone: String
        let startDay: Int
        let instants: [String]  // all inside the expected period
        let start: String
        let end: String
        let length: Int
        let minutes: Int64  // end − start
        var testDescription: String { "\(zone) day \(startDay) \(start)" }
    }

    static let cases: [Case] = [
        // Europe/Berlin springs forward 2026-03-29 02:00 → 03:00.
        Case(zone: "Europe/Berlin", startDay: 1,
             instants: ["2026-03-29T01:59:59+01:00", "2026-03-29T03:00:00+02:00", "2026-03-01T00:00:00+01:00"],
             start: "2026-03-01T00:00:00+01:00", end: "2026-04-01T00:00:00+02:00", length: 31, minutes: (31 * 24 - 1) * 60),
        Case(zone: "Europe/Berlin", startDay: 15,
             instants: ["2026-03-29T12:00:00+02:00", "2026-04-14T23:59:59+02:00"],
             start: "2026-03-15T00:00:00+01:00", end: "2026-04-15T00:00:00+02:00", length: 31, minutes: (31 * 24 - 1) * 60),
        // Europe/Berlin falls back 2026-10-25 03:00 → 02:00; a period starts that very day.
        Case(zone: "Europe/Berlin", startDay: 25,
             instants: ["2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00",
                        "2026-11-24T23:59:59+01:00"],
             start: "2026-10-25T00:00:00+02:00", end: "2026-11-25T00:00:00+01:00", length: 31, minutes: (31 * 24 + 1) * 60),
        Case(zone: "Europe/Berlin", startDay: 24,
             instants: ["2026-10-25T02:30:00+01:00"],
             start: "2026-10-24T00:00:00+02:00", end: "2026-11-24T00:00:00+01:00", length: 31, minutes: (31 * 24 + 1) * 60),
        // America/New_York springs forward 2026-03-08 02:00 → 03:00; a period starts that day.
        Case(zone: "America/New_York", startDay: 8,
             instants: ["2026-03-08T00:00:00-05:00", "2026-03-08T01:59:59-05:00", "2026-03-08T03:00:00-04:00"],
             start: "2026-03-08T00:00:00-05:00", end: "2026-04-08T00:00:00-04:00", length: 31, minutes: (31 * 24 - 1) * 60),
        // America/New_York falls back 2026-11-01 02:00 → 01:00; a period starts that day.
        Case(zone: "America/New_York", startDay: 1,
             instants: ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-30T23:59:59-05:00"],
             start: "2026-11-01T00:00:00-04:00", end: "2026-12-01T00:00:00-05:00", length: 30, minutes: (30 * 24 + 1) * 60),
        Case(zone: "America/New_York", startDay: 1,
             instants: ["2026-10-31T23:59:59-04:00"],
             start: "2026-10-01T00:00:00-04:00", end: "2026-11-01T00:00:00-04:00", length: 31, minutes: (31 * 24) * 60),
        // America/Santiago skips midnight 2026-09-06 (00:00 → 01:00): the period starts at 01:00.
        Case(zone: "America/Santiago", startDay: 6,
             instants: ["2026-09-06T01:00:00-03:00", "2026-10-05T23:59:59-03:00"],
             start: "2026-09-06T01:00:00-03:00", end: "2026-10-06T00:00:00-03:00", length: 30, minutes: (30 * 24 - 1) * 60),
        Case(zone: "America/Santiago", startDay: 6,
             instants: ["2026-09-05T23:59:59-04:00"],
             start: "2026-08-06T00:00:00-04:00", end: "2026-09-06T01:00:00-03:00", length: 31, minutes: (31 * 24) * 60),
        // America/Santiago falls back at 24:00 2026-04-04 → 23:00: Sunday's midnight happens once.
        Case(zone: "America/Santiago", startDay: 5,
             instants: ["2026-04-05T00:00:00-04:00", "2026-04-05T12:00:00-04:00"],
             start: "2026-04-05T00:00:00-04:00", end: "2026-05-05T00:00:00-04:00", length: 30, minutes: (30 * 24) * 60),
        Case(zone: "America/Santiago", startDay: 5,
             instants: ["2026-04-04T23:30:00-03:00", "2026-04-04T23:30:00-04:00", "2026-04-04T23:59:59-04:00"],
             start: "2026-03-05T00:00:00-03:00", end: "2026-04-05T00:00:00-04:00", length: 31, minutes: (31 * 24 + 1) * 60),
        // America/Havana skips midnight 2026-03-08 and repeats it 2026-11-01 (01:00 → 00:00).
        Case(zone: "America/Havana", startDay: 8,
             instants: ["2026-03-08T01:00:00-04:00"],
             start: "2026-03-08T01:00:00-04:00", end: "2026-04-08T00:00:00-04:00", length: 31, minutes: (31 * 24 - 1) * 60),
        Case(zone: "America/Havana", startDay: 1,
             instants: ["2026-11-01T00:00:00-04:00", "2026-11-01T00:30:00-04:00", "2026-11-01T00:00:00-05:00",
                        "2026-11-01T00:30:00-05:00"],
             start: "2026-11-01T00:00:00-04:00", end: "2026-12-01T00:00:00-05:00", length: 30, minutes: (30 * 24 + 1) * 60),
        // Asia/Tehran used to skip midnight at its March DST start (2021-03-22 00:00 → 01:00).
        Case(zone: "Asia/Tehran", startDay: 22,
             instants: ["2021-03-22T01:00:00+04:30"],
             start: "2021-03-22T01:00:00+04:30", end: "2021-04-22T00:00:00+04:30", length: 31, minutes: (31 * 24 - 1) * 60),
        // America/Sao_Paulo skipped midnight 2018-11-04.
        Case(zone: "America/Sao_Paulo", startDay: 4,
             instants: ["2018-11-04T01:00:00-02:00"],
             start: "2018-11-04T01:00:00-02:00", end: "2018-12-04T00:00:00-02:00", length: 30, minutes: (30 * 24 - 1) * 60),
        // Australia/Lord_Howe moves by half an hour (2026-10-04 02:00 → 02:30).
        Case(zone: "Australia/Lord_Howe", startDay: 4,
             instants: ["2026-10-04T03:00:00+11:00"],
             start: "2026-10-04T00:00:00+10:30", end: "2026-11-04T00:00:00+11:00", length: 31, minutes: 31 * 24 * 60 - 30),
        // Pacific/Kwajalein skipped 1993-08-21 entirely (−12 → +12): the period named after it
        // starts when the 22nd does, and still counts 31 days.
        Case(zone: "Pacific/Kwajalein", startDay: 21,
             instants: ["1993-08-22T00:00:00+12:00", "1993-09-20T23:59:59+12:00"],
             start: "1993-08-22T00:00:00+12:00", end: "1993-09-21T00:00:00+12:00", length: 31, minutes: (30 * 24) * 60),
        Case(zone: "Pacific/Kwajalein", startDay: 21,
             instants: ["1993-08-20T23:59:59-12:00"],
             start: "1993-07-21T00:00:00-12:00", end: "1993-08-22T00:00:00+12:00", length: 31, minutes: (31 * 24) * 60),
        // Pacific/Apia skipped 2011-12-30 inside a period.
        Case(zone: "Pacific/Apia", startDay: 1,
             instants: ["2011-12-29T23:59:59-10:00", "2011-12-31T00:00:00+14:00"],
             start: "2011-12-01T00:00:00-10:00", end: "2012-01-01T00:00:00+14:00", length: 31, minutes: (30 * 24) * 60),
    ]

    @Test(arguments: cases)
    func boundariesAcrossClockChanges(_ c: Case) {
        let rule = rule(c.startDay, c.zone)
        for instant in c.instants {
            let period = rule.period(containingMillis: millis(instant))
            #expect(period.startMillis == millis(c.start), "\(instant)")
            #expect(period.endMillis == millis(c.end), "\(instant)")
            #expect(period.start == date(c.start))
            #expect(period.end == date(c.end))
            #expect(period.length == c.length)
            #expect(period.endMillis - period.startMillis == c.minutes * 60_000)
            #expect(rule.period(containing: date(instant)) == period)
            // The neighbours meet it exactly.
            #expect(rule.period(before: period).endMillis == period.startMillis)
            #expect(rule.period(after: period).startMillis == period.endMillis)
            #expect(rule.period(containingMillis: period.startMillis - 1).endMillis == period.startMillis)
            #expect(rule.period(containingMillis: period.endMillis) == rule.period(after: period))
        }
    }

    @Test func theDSTDayIsOneDay() {
        let fifteenth = rule(15, "Europe/Berlin")
        let spring = fifteenth.period(containingMillis: millis("2026-03-29T12:00:00+02:00"))
        let expected: [(String, Int)] = [
            ("2026-03-28T12:00:00+01:00", 17), ("2026-03-29T00:00:00+01:00", 16), ("2026-03-29T01:59:59+01:00", 16),
            ("2026-03-29T03:00:00+02:00", 16), ("2026-03-29T23:59:59+02:00", 16), ("2026-03-30T00:00:00+02:00", 15),
        ]
        for (instant, days) in expected {
            #expect(fifteenth.daysAfterToday(in: spring, nowMillis: millis(instant)) == days, "\(instant)")
        }
        let autumn = rule(25, "Europe/Berlin").period(containingMillis: millis("2026-10-25T12:00:00+01:00"))
        for instant in ["2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00",
                        "2026-10-25T23:59:59+01:00"] {
            #expect(rule(25, "Europe/Berlin").daysAfterToday(in: autumn, nowMillis: millis(instant)) == 30, "\(instant)")
        }
    }

    @Test func skippedDaysAreNotCountedAsAfterToday() {
        // Kwajalein's 1993-08-21 never happened: on the 22nd, the first real day, 29 days follow.
        let kwajalein = rule(21, "Pacific/Kwajalein")
        let period = kwajalein.period(containingMillis: millis("1993-08-22T12:00:00+12:00"))
        #expect(period.firstDay == day(1993, 8, 21))
        #expect(kwajalein.localDate(ofMillis: period.startMillis) == day(1993, 8, 22))
        #expect(kwajalein.localDate(ofMillis: period.startMillis - 1) == day(1993, 8, 20))
        #expect(kwajalein.daysAfterToday(in: period, nowMillis: period.startMillis) == 29)
        // Apia: on 2011-12-29 two days follow (the 30th did not exist, the 31st did).
        let apia = rule(1, "Pacific/Apia")
        let december = apia.period(containingMillis: millis("2011-12-15T12:00:00-10:00"))
        #expect(apia.daysAfterToday(in: december, nowMillis: millis("2011-12-29T12:00:00-10:00")) == 2)
        #expect(apia.daysAfterToday(in: december, nowMillis: millis("2011-12-31T12:00:00+14:00")) == 0)
    }

    @Test func localDatesAroundSkippedAndRepeatedMidnights() {
        let santiago = rule(1, "America/Santiago")
        #expect(santiago.localDate(ofMillis: millis("2026-09-06T01:00:00-03:00")) == day(2026, 9, 6))
        #expect(santiago.localDate(ofMillis: millis("2026-09-06T01:00:00-03:00") - 1) == day(2026, 9, 5))
        let havana = rule(1, "America/Havana")
        #expect(havana.localDate(ofMillis: millis("2026-11-01T00:00:00-04:00")) == day(2026, 11, 1))
        #expect(havana.localDate(ofMillis: millis("2026-11-01T00:00:00-05:00")) == day(2026, 11, 1))
        #expect(havana.localDate(ofMillis: millis("2026-11-01T00:00:00-04:00") - 1) == day(2026, 10, 31))
    }
}
