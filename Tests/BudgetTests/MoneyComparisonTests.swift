import Testing

@testable import Budget

@Suite struct MoneyComparisonTests {
    @Test func sameExponentComparesMinorUnits() {
        let values: [Int64] = [Int64.min, -10_000, -1, 0, 1, 2, 10_000, Int64.max]
        for (i, a) in values.enumerated() {
            for (j, b) in values.enumerated() {
                let x = Money(minorUnits: a, exponent: 2)
                let y = Money(minorUnits: b, exponent: 2)
                #expect((x < y) == (i < j))
                #expect((x == y) == (i == j))
            }
        }
    }

    @Test(arguments: [
        (150, 2, 15, 1), (0, 0, 0, 2), (0, 18, 0, 3), (1_000, 3, 1, 0), (-250, 2, -2500, 3),
        (Int64.max, 0, Int64.max, 0), (1_000_000_000_000_000_000, 18, 1, 0),
    ] as [(Int64, Int, Int64, Int)])
    func equalValuesAcrossExponentsAreEqualAndHashAlike(a: Int64, ea: Int, b: Int64, eb: Int) {
        let x = Money(minorUnits: a, exponent: ea)
        let y = Money(minorUnits: b, exponent: eb)
        #expect(x == y)
        #expect(!(x < y) && !(y < x))
        #expect(x.hashValue == y.hashValue)
        #expect(Set([x, y]).count == 1)
    }

    @Test(arguments: [
        (151, 2, 15, 1), (1, 18, 0, 0), (Int64.min, 0, Int64.min, 18), (-1, 2, 0, 0),
        (Int64.max, 18, Int64.max, 17), (999, 3, 1, 0),
    ] as [(Int64, Int, Int64, Int)])
    func differentValuesAcrossExponentsOrderByValue(a: Int64, ea: Int, b: Int64, eb: Int) {
        // Each pair is written (larger, smaller) by value.
        let larger = Money(minorUnits: a, exponent: ea)
        let smaller = Money(minorUnits: b, exponent: eb)
        let (bigger, lesser) = larger.decimal > smaller.decimal ? (larger, smaller) : (smaller, larger)
        #expect(bigger != lesser)
        #expect(lesser < bigger)
        #expect(!(bigger < lesser))
    }

    @Test func sortsByValue() {
        let amounts = [Money(minorUnits: 5, exponent: 0), Money(minorUnits: -1, exponent: 2),
                       Money(minorUnits: 4999, exponent: 3), Money(minorUnits: 0, exponent: 1)]
        #expect(amounts.sorted().map(\.description) == ["-0.01", "0", "4.999", "5"])
    }
}
