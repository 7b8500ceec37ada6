import Foundation
import Testing

@testable import Budget

@Suite struct AllowanceTests {
    @Test func designWorkedExample() {
        // Limit 3000.00, spent 500.00, length 30, 24 days after today.
        let allowance = Allowance(limit: 300_000, spent: 50_000, periodLength: 30, daysAfterToday: 24)
        #expect(allowance.limit == 300_000)
        #expect(allowance.spent == 50_000)
        #expect(allowance.remaining == 250_000)
        #expect(allowance.daily == 250_000 - 240_000)
        #expect(allowance.perDay == 10_000)
        #expect(allowance.perDayFromTomorrow == 10_416)  // ⌊250 000 / 24⌋
    }

    /// Issue 8's card: a €300 month of 31 days, €23.40 spent on day 2 — today is €4.05 ahead of
    /// plan, and each of the 29 later days may spend €9.53 if nothing more is spent today.
    @Test func aDayAheadOfPlan() {
        let a = Allowance(limit: 30_000, spent: 2_340, periodLength: 31, daysAfterToday: 29)
        #expect(a.daily == -405)  // 27 660 − ⌈30 000 × 29 / 31⌉ = 27 660 − 28 065
        #expect(a.perDay == 922)  // ⌊27 660 / 30⌋
        #expect(a.perDayFromTomorrow == 953)  // ⌊27 660 / 29⌋
    }

    @Test(arguments: [
        // (limit, spent, length, daysAfter) → (remaining, daily, perDay)
        (1000, 0, 30, 29, 1000, 33, 33),        // reserve ⌈966.67⌉ = 967
        (1000, 0, 31, 0, 1000, 1000, 1000),
        (100, 0, 3, 1, 100, 66, 50),            // reserve ⌈33.3⌉ = 34
        (100, 0, 3, 2, 100, 33, 33),            // reserve ⌈66.7⌉ = 67, perDay ⌊33.3⌋
        (1000, 1500, 30, 10, -500, -834, -46),  // reserve ⌈333.3⌉ = 334; ⌊−45.45⌋ = −46
        (1000, 1000, 30, 10, 0, -334, 0),
        (1000, -200, 30, 0, 1200, 1200, 1200),  // a refund
        (1000, -200, 30, 29, 1200, 233, 40),
        (0, 0, 30, 15, 0, 0, 0),
        (0, 100, 30, 5, -100, -100, -17),       // ⌊−16.67⌋ = −17
        (700, 0, 28, 6, 700, 550, 100),
        (1, 0, 31, 30, 1, 0, 0),                // ⌈30/31⌉ = 1
        (1, 0, 31, 1, 1, 0, 0),
        (31, 0, 31, 30, 31, 1, 1),
        (300_000, 0, 30, 29, 300_000, 10_000, 10_000),
        (300_000, 310_000, 30, 0, -10_000, -10_000, -10_000),
        (-100, 0, 30, 15, -100, -50, -7),       // a negative limit is nonsense, but still exact
    ] as [(Int64, Int64, Int, Int, Int64, Int64, Int64)])
    func formulas(limit: Int64, spent: Int64, length: Int, daysAfter: Int, remaining: Int64, daily: Int64, perDay: Int64) {
        let allowance = Allowance(limit: limit, spent: spent, periodLength: length, daysAfterToday: daysAfter)
        #expect(allowance.remaining == remaining)
        #expect(allowance.daily == daily)
        #expect(allowance.perDay == perDay)
    }

    /// Over a grid: `daily` is the exact value rounded down, `perDay` the exact quotient rounded down.
    @Test(arguments: [28, 29, 30, 31])
    func roundingIsTowardNegativeInfinity(length: Int) throws {
        let limits: [Int64] = [0, 1, 7, 99, 100, 1001, 2000, 299_999, 10_000_000_000_000]
        let spents: [Int64] = [-501, 0, 1, 13, 999, 1000, 1001, 250_000, 20_000_000_000_000]
        for limit in limits {
            for spent in spents {
                for daysAfter in 0..<length {
                    let a = Allowance(limit: limit, spent: spent, periodLength: length, daysAfterToday: daysAfter)
                    let n = Int128(length)
                    let d = Int128(daysAfter)
                    let reservedTimesLength = Int128(limit) * d
                    // daily ≤ remaining − limit·d/length < daily + 1
                    #expect((Int128(a.remaining) - Int128(a.daily)) * n >= reservedTimesLength)
                    #expect((Int128(a.remaining) - Int128(a.daily) - 1) * n < reservedTimesLength)
                    // perDay ≤ remaining/(d+1) < perDay + 1
                    #expect(Int128(a.perDay) * (d + 1) <= Int128(a.remaining))
                    #expect((Int128(a.perDay) + 1) * (d + 1) > Int128(a.remaining))
                    // perDayFromTomorrow ≤ remaining/d < perDayFromTomorrow + 1, none on the last day
                    if daysAfter == 0 {
                        #expect(a.perDayFromTomorrow == nil)
                    } else {
                        let next = Int128(try #require(a.perDayFromTomorrow))
                        #expect(next * d <= Int128(a.remaining))
                        #expect((next + 1) * d > Int128(a.remaining))
                    }
                    #expect(a.remaining == limit - spent)
                }
            }
        }
    }

    @Test(arguments: [(300_000, 50_000), (1000, 1500), (1000, -200), (0, 0), (7, 3), (Int64.max, Int64.min), (Int64.min, 0)]
          as [(Int64, Int64)])
    func lastDayEverythingIsRemaining(limit: Int64, spent: Int64) {
        for length in 28...31 {
            let a = Allowance(limit: limit, spent: spent, periodLength: length, daysAfterToday: 0)
            #expect(a.daily == a.remaining)
            #expect(a.perDay == a.remaining)
            #expect(a.perDayFromTomorrow == nil)
        }
    }

    @Test func dailyShrinksAsMoreDaysRemain() {
        var previous = Int64.max
        for daysAfter in 0..<30 {
            let daily = Allowance(limit: 123_457, spent: 4_321, periodLength: 30, daysAfterToday: daysAfter).daily
            #expect(daily <= previous)
            previous = daily
        }
    }

    @Test func extremesSaturateInsteadOfTrapping() {
        let up = Allowance(limit: .max, spent: .min, periodLength: 30, daysAfterToday: 10)
        #expect(up.remaining == .max)
        #expect(up.daily == .max)
        // Each figure is exact before it saturates: perDay spreads the true 2^64 − 1, not Int64.max.
        #expect(up.perDay == 1_676_976_733_973_595_601)  // ⌊(2^64 − 1) / 11⌋
        #expect(up.perDayFromTomorrow == 1_844_674_407_370_955_161)  // ⌊(2^64 − 1) / 10⌋
        let down = Allowance(limit: .min, spent: .max, periodLength: 30, daysAfterToday: 10)
        #expect(down.remaining == .min)
        #expect(down.daily == .min)
        #expect(down.perDay == -1_676_976_733_973_595_602)  // ⌊−(2^64 − 1) / 11⌋
        #expect(down.perDayFromTomorrow == -1_844_674_407_370_955_162)  // ⌊−(2^64 − 1) / 10⌋
        let big = Allowance(limit: .max, spent: 0, periodLength: 31, daysAfterToday: 30)
        #expect(big.remaining == .max)
        #expect(big.daily == Int64.max - (Int64.max / 31 * 30 + (Int64.max % 31 * 30 + 30) / 31))
        #expect(big.perDay == Int64.max / 31)
        let huge = Allowance(limit: .max, spent: .max, periodLength: .max, daysAfterToday: .max)
        #expect(huge.remaining == 0)
        #expect(huge.daily == .min + 1)
        _ = Allowance(limit: .min, spent: .min, periodLength: .min, daysAfterToday: .min)
    }

    @Test func outOfRangeInputsAreClamped() {
        // A length below 1 counts as 1; days after today are clamped to 0...length.
        #expect(Allowance(limit: 100, spent: 0, periodLength: 0, daysAfterToday: 0)
                == Allowance(limit: 100, spent: 0, periodLength: 1, daysAfterToday: 0))
        #expect(Allowance(limit: 100, spent: 0, periodLength: -5, daysAfterToday: 3)
                == Allowance(limit: 100, spent: 0, periodLength: 1, daysAfterToday: 1))
        #expect(Allowance(limit: 100, spent: 10, periodLength: 30, daysAfterToday: -3)
                == Allowance(limit: 100, spent: 10, periodLength: 30, daysAfterToday: 0))
        let beyond = Allowance(limit: 100, spent: 10, periodLength: 30, daysAfterToday: 45)
        #expect(beyond == Allowance(limit: 100, spent: 10, periodLength: 30, daysAfterToday: 30))
        #expect(beyond.daily == -10)  // remaining − the whole limit
    }

    @Test func fromARuleAndAnInstant() {
        let rule = rule(15, "Europe/Berlin")
        let now = date("2026-09-20T12:00:00+02:00")
        let period = rule.period(containing: now)
        let allowance = rule.allowance(limit: 300_000, spent: 50_000, in: period, now: now)
        #expect(allowance == Allowance(limit: 300_000, spent: 50_000, periodLength: 30, daysAfterToday: 24))
        #expect(allowance.daily == 10_000)
        // Only the local day counts: any instant of it gives the same figures.
        #expect(rule.allowance(limit: 300_000, spent: 50_000, in: period, now: date("2026-09-20T00:00:00+02:00")) == allowance)
        let lastDay = rule.allowance(limit: 300_000, spent: 50_000, in: period, now: period.end.addingTimeInterval(-0.001))
        #expect(lastDay.daily == 250_000 && lastDay.perDay == 250_000)
    }
}
