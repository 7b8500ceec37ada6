import Foundation
import Testing

@testable import Budget

@Suite struct PeriodSequenceTests {
    /// The household's stored periods are made by `periods(fromMillis:count:)`; the views ask
    /// `period(containing:)` and `period(before:)`. A stored period the views never ask for
    /// would only be slower (its sums are read from the spendings), but any difference is a bug.
    @Test(arguments: [1, 15, 28])
    func theSequenceIsWhatSteppingOneByOneGives(startDay: Int) throws {
        for identifier in TimeZone.knownTimeZoneIdentifiers {
            let rule = try #require(PeriodRule(startDay: startDay, timeZone: zone(identifier)))
            let periods = rule.periods(fromMillis: millis("2009-06-30T23:30:00Z"), count: 240)
            #expect(periods.count == 240)
            var expected = rule.period(containingMillis: millis("2009-06-30T23:30:00Z"))
            for period in periods {
                #expect(period == expected, "\(identifier) \(period.firstDay)")
                expected = rule.period(after: expected)
            }
        }
    }

    /// /history's periods, against stepping back from this period one by one.
    @Test(arguments: [1, 28])
    func endingWithIsWhatSteppingBackGives(startDay: Int) throws {
        for identifier in TimeZone.knownTimeZoneIdentifiers {
            let rule = try #require(PeriodRule(startDay: startDay, timeZone: zone(identifier)))
            let last = rule.period(containingMillis: millis("2026-03-29T01:30:00Z"))
            var expected = [last]
            while expected.count < 60 {
                expected.insert(rule.period(before: expected[0]), at: 0)
            }
            #expect(rule.periods(endingWith: last, count: 60) == expected, "\(identifier)")
            #expect(rule.periods(endingWith: last, count: 1) == [last])
        }
        // At the first instant handled, as stepping back does (it repeats the clamped period).
        let rule = try #require(PeriodRule(startDay: startDay, timeZone: zone("UTC")))
        let early = rule.period(containingMillis: millis("1600-03-15T00:00:00Z"))
        var expected = [early]
        while expected.count < 5 {
            expected.insert(rule.period(before: expected[0]), at: 0)
        }
        #expect(rule.periods(endingWith: early, count: 5) == expected)
    }

    @Test func countsAndEnds() throws {
        let rule = try #require(PeriodRule(startDay: 28, timeZone: zone("Europe/Berlin")))
        #expect(rule.periods(fromMillis: 0, count: 0).isEmpty)
        #expect(rule.periods(fromMillis: 0, count: -3).isEmpty)
        let one = rule.periods(fromMillis: millis("2024-02-29T12:00:00Z"), count: 1)
        #expect(one == [rule.period(containingMillis: millis("2024-02-29T12:00:00Z"))])
        #expect(one[0].firstDay == LocalDate(unchecked: 2024, 2, 28))
        // Near the last instant handled the sequence stops instead of repeating a period.
        let last = rule.periods(fromMillis: millis("9999-11-01T00:00:00Z"), count: 10)
        #expect(!last.isEmpty && last.count < 10)
        for (earlier, later) in zip(last, last.dropFirst()) {
            #expect(earlier.endMillis == later.startMillis && later.startMillis < later.endMillis)
        }
    }
}
