import Foundation
import Testing

@testable import Budget

@Suite struct MoneyDecimalTests {
    @Test(arguments: [
        ("12.5", 2, 1250), ("12.50", 2, 1250), ("0.10", 2, 10), ("-3", 2, -300), ("1e2", 2, 10000),
        ("-0.05", 2, -5), ("0", 2, 0), ("-0", 2, 0), ("12.340", 2, 1234), ("1e13", 0, 10_000_000_000_000),
        ("-1e11", 2, -10_000_000_000_000), ("1.234", 3, 1234), ("1500", 0, 1500),
        ("0.000000000000000001", 18, 1), ("99999999999.99", 2, 9_999_999_999_999),
    ] as [(String, Int, Int64)])
    func convertsExactly(text: String, exponent: Int, minorUnits: Int64) throws {
        let decimal = try #require(Decimal(string: text))
        #expect(try Money(decimal: decimal, exponent: exponent).minorUnits == minorUnits)
    }

    @Test func rejectsNaN() {
        #expect(throws: MoneyError.notANumber) { try Money(decimal: .nan, exponent: 2) }
        #expect(throws: MoneyError.notANumber) { try Money(decimal: .quietNaN, exponent: 0) }
    }

    @Test(arguments: [
        ("12.345", 2, MoneyError.tooManyDecimals(allowed: 2)), ("0.001", 2, .tooManyDecimals(allowed: 2)),
        ("1.5", 0, .tooManyDecimals(allowed: 0)), ("1.2345", 3, .tooManyDecimals(allowed: 3)),
        ("1e-100", 2, .tooManyDecimals(allowed: 2)), ("1e14", 0, .outOfRange),
        ("100000000000.01", 2, .outOfRange), ("-1e12", 2, .outOfRange), ("1e100", 2, .outOfRange),
        ("123456789012345678901234567890", 2, .outOfRange),
        ("12345678901234567890123456789012345678", 0, .outOfRange),
    ] as [(String, Int, MoneyError)])
    func rejectsLikeParsing(text: String, exponent: Int, error: MoneyError) throws {
        let decimal = try #require(Decimal(string: text))
        #expect(throws: error) { try Money(decimal: decimal, exponent: exponent) }
    }

    @Test func extremeDecimalsDoNotTrap() {
        #expect(throws: MoneyError.outOfRange) { try Money(decimal: .greatestFiniteMagnitude, exponent: 2) }
        #expect(throws: MoneyError.outOfRange) { try Money(decimal: -Decimal.greatestFiniteMagnitude, exponent: 2) }
        #expect(throws: MoneyError.tooManyDecimals(allowed: 2)) { try Money(decimal: .leastNonzeroMagnitude, exponent: 2) }
        #expect(throws: MoneyError.tooManyDecimals(allowed: 18)) { try Money(decimal: .leastNonzeroMagnitude, exponent: 18) }
        #expect(throws: MoneyError.outOfRange) { try Money(decimal: .leastFiniteMagnitude, exponent: 2) }
    }

    @Test func whatJSONDecoderProducesConverts() throws {
        let json = #"[12.5, 1e2, -0.05, 12.50, 0.10, 3, 1E-2, -0, 99999999999.99]"#
        let decimals = try JSONDecoder().decode([Decimal].self, from: Data(json.utf8))
        let units = try decimals.map { decimal throws(MoneyError) in try Money(decimal: decimal, exponent: 2).minorUnits }
        #expect(units == [1250, 10000, -5, 1250, 10, 300, 1, 0, 9_999_999_999_999])
        let bad = try JSONDecoder().decode([Decimal].self, from: Data("[12.345, 1E-3, 1e13]".utf8))
        #expect(throws: MoneyError.tooManyDecimals(allowed: 2)) { try Money(decimal: bad[0], exponent: 2) }
        #expect(throws: MoneyError.tooManyDecimals(allowed: 2)) { try Money(decimal: bad[1], exponent: 2) }
        #expect(throws: MoneyError.outOfRange) { try Money(decimal: bad[2], exponent: 2) }
    }

    @Test(arguments: [
        (1250, 2, "12.5"), (1200, 2, "12"), (-5, 2, "-0.05"), (7, 0, "7"), (0, 2, "0"), (1, 3, "0.001"),
        (10_000_000_000_000, 2, "100000000000"), (-10_000_000_000_000, 2, "-100000000000"),
        (Int64.max, 2, "92233720368547758.07"), (Int64.min, 2, "-92233720368547758.08"),
        (Int64.min, 0, "-9223372036854775808"), (1, 18, "0.000000000000000001"),
    ] as [(Int64, Int, String)])
    func decimalValueIsExact(minorUnits: Int64, exponent: Int, text: String) throws {
        let money = Money(minorUnits: minorUnits, exponent: exponent)
        #expect(money.decimal == Decimal(string: text))
        #expect(money.decimal.description == text)
        #expect(money.decimal.description == money.description)
    }

    @Test func encodesAsJSONNumberDigits() throws {
        let amounts = [Money(minorUnits: 1250, exponent: 2), Money(minorUnits: -5, exponent: 2),
                       Money(minorUnits: 1200, exponent: 2), Money(minorUnits: 10_000_000_000_000, exponent: 2),
                       Money(minorUnits: 1234, exponent: 3), Money(minorUnits: 0, exponent: 2)]
        let data = try JSONEncoder().encode(amounts.map(\.decimal))
        #expect(String(decoding: data, as: UTF8.self) == "[12.5,-0.05,12,100000000000,1.234,0]")
        let decoded = try JSONDecoder().decode([Decimal].self, from: data)
        for (money, decimal) in zip(amounts, decoded) {
            #expect(try Money(decimal: decimal, exponent: money.exponent) == money)
        }
    }

    @Test(arguments: [0, 2, 3])
    func decimalRoundTrips(exponent: Int) throws {
        for units in MoneyFormattingTests.roundTripValues {
            let money = Money(minorUnits: units, exponent: exponent)
            #expect(try Money(decimal: money.decimal, exponent: exponent).minorUnits == units)
            #expect(money.decimal.description == money.description)
        }
    }
}
