import Foundation
import Testing

@testable import Budget

@Suite struct MoneyParsingTests {
    @Test(arguments: [
        ("12.5", 1250), ("-3", -300), ("1e2", 10000), ("1E2", 10000), ("1e+2", 10000), ("1E-0", 100),
        ("12.50", 1250), ("0.10", 10), ("12.340", 1234), ("12.3400000000", 1234), ("1234e-2", 1234),
        ("12340e-3", 1234), ("0.01", 1), ("-0.05", -5), ("0.5", 50), ("1", 100), ("-1", -100),
        ("007", 700), ("00.50", 50), ("-007.10", -710), ("0000000000000000000000000001", 100),
        ("1.00000000000000000000000000", 100), ("0.0000000000000000000001e22", 100),
        ("123456.78", 12_345_678), ("99999999999.99", 9_999_999_999_999), ("1e11", 10_000_000_000_000),
        ("-1e11", -10_000_000_000_000), ("100000000000", 10_000_000_000_000),
        ("-100000000000.00", -10_000_000_000_000), ("0.1e1", 100), ("5e-1", 50), ("25E-2", 25),
        ("1.5e-1", 15), ("92233720368e-2", 92_233_720_368),
    ] as [(String, Int64)])
    func parsesWithExponentTwo(text: String, minorUnits: Int64) throws {
        let money = try Money(parsing: text, exponent: 2)
        #expect(money.minorUnits == minorUnits)
        #expect(money.exponent == 2)
    }

    @Test(arguments: ["0", "-0", "0.0", "-0.00", "0e5", "-0e-5", "0e999999999", "0e-999999999", "000",
                      "0.000000000000000000000000000000", "0E+0", "-0.0e-20"])
    func zeroInEveryForm(text: String) throws {
        for exponent in [0, 2, 3] {
            let money = try Money(parsing: text, exponent: exponent)
            #expect(money.minorUnits == 0)
            #expect(money.description == "0")
        }
    }

    @Test(arguments: [
        "", "-", "NaN", "nan", "-NaN", "inf", "-inf", "Infinity", "-Infinity", "infinity", "1.2.3",
        "0x10", " 1", "1 ", "\t1", "1\n", "+1", ".5", "-.5", "5.", "1.e5", "1e", "1e+", "1e-", "e5",
        "--1", "-+1", "1,5", "1_000", "12a", "a12", "١", "１", "1e5.5", "1e2e3", "0b1", "1ee2",
        "1.5.", "\u{0}", "1\u{0}", "½", "1/2", "١٢", "12 .5", "1e 2", "−1", "1,000.00", "$1", "1€",
        "true", "null", "\"1\"", "[1]",
    ])
    func rejectsNonNumbers(text: String) {
        for exponent in [0, 2, 3] {
            #expect(throws: MoneyError.notANumber) { try Money(parsing: text, exponent: exponent) }
        }
    }

    @Test(arguments: [
        ("12.345", 2), ("1e-3", 2), ("0.001", 2), ("-0.001", 2), ("12.3451", 2), ("0.005e0", 2),
        ("1.5", 0), ("0.1", 0), ("1e-1", 0), ("999.9", 0), ("1.2345", 3), ("0.0001", 3),
        ("1e-999999999", 2), ("1e-99999999999999999999999999", 2), ("1.00000000000000000000000001", 2),
        ("12345678901234567890.123", 2), ("0.00000000000000000001", 4), ("1e-19", 18),
        ("1" + String(repeating: "0", count: 10_000) + ".001", 2),
        ("0." + String(repeating: "0", count: 10_000) + "1", 2),
    ])
    func rejectsTooManyDecimals(text: String, exponent: Int) {
        #expect(throws: MoneyError.tooManyDecimals(allowed: exponent)) {
            try Money(parsing: text, exponent: exponent)
        }
    }

    @Test(arguments: [
        ("100000000000.01", 2), ("-100000000000.01", 2), ("1e12", 2), ("1e999999999", 2),
        ("-1e999999999", 2), ("1e99999999999999999999999999", 2), ("10000000000001", 0),
        ("1e14", 0), ("10000000000.001", 3), ("12345678901234567890", 2),
        ("9223372036854775807", 2), ("9223372036854775808", 0), ("18446744073709551616", 0),
        ("99999999999999999999999999999999999999999", 0), ("100000000001.0000000000e0", 2),
        ("1" + String(repeating: "0", count: 10_000), 2),
        ("-" + String(repeating: "9", count: 10_000), 0),
        ("1" + String(repeating: "0", count: 10_000) + "e-9988", 2),
    ])
    func rejectsOutOfRange(text: String, exponent: Int) {
        #expect(throws: MoneyError.outOfRange) { try Money(parsing: text, exponent: exponent) }
    }

    @Test(arguments: [0, 1, 2, 3, 4, 8, 18])
    func limitsAreInclusive(exponent: Int) throws {
        let max = Money(minorUnits: Money.maxMinorUnits, exponent: exponent)
        let min = Money(minorUnits: -Money.maxMinorUnits, exponent: exponent)
        #expect(try Money(parsing: max.description, exponent: exponent) == max)
        #expect(try Money(parsing: min.description, exponent: exponent) == min)
        #expect(try Money(parsing: max.fixedDescription, exponent: exponent) == max)
        let justAbove = Money(minorUnits: Money.maxMinorUnits + 1, exponent: exponent)
        let justBelow = Money(minorUnits: -Money.maxMinorUnits - 1, exponent: exponent)
        #expect(throws: MoneyError.outOfRange) { try Money(parsing: justAbove.description, exponent: exponent) }
        #expect(throws: MoneyError.outOfRange) { try Money(parsing: justBelow.description, exponent: exponent) }
        let oneUnder = Money(minorUnits: Money.maxMinorUnits - 1, exponent: exponent)
        #expect(try Money(parsing: oneUnder.description, exponent: exponent) == oneUnder)
    }

    @Test(arguments: [
        ("1500", 0, 1500), ("1500.0", 0, 1500), ("1.5e3", 0, 1500), ("1e13", 0, 10_000_000_000_000),
        ("-1e13", 0, -10_000_000_000_000), ("0.50e1", 0, 5), ("1.234", 3, 1234), ("0.001", 3, 1),
        ("1e10", 3, 10_000_000_000_000), ("-2.5", 3, -2500), ("1.2340", 3, 1234), ("3", 1, 30),
        ("0.000000000000000001", 18, 1), ("0.00001", 18, 10_000_000_000_000), ("0.5", 4, 5000),
    ] as [(String, Int, Int64)])
    func otherExponents(text: String, exponent: Int, minorUnits: Int64) throws {
        let money = try Money(parsing: text, exponent: exponent)
        #expect(money.minorUnits == minorUnits)
        #expect(money.exponent == exponent)
    }

    @Test func hugeInputsFinishAndDoNotTrap() throws {
        let manyDigits = String(repeating: "7", count: 100_000)
        #expect(throws: MoneyError.outOfRange) { try Money(parsing: manyDigits, exponent: 2) }
        let manyZeros = String(repeating: "0", count: 100_000) + "42"
        #expect(try Money(parsing: manyZeros, exponent: 2).minorUnits == 4200)
        let longFraction = "42." + String(repeating: "0", count: 100_000)
        #expect(try Money(parsing: longFraction, exponent: 2).minorUnits == 4200)
        let longExponent = "1e" + String(repeating: "9", count: 100_000)
        #expect(throws: MoneyError.outOfRange) { try Money(parsing: longExponent, exponent: 2) }
        let longNegativeExponent = "1e-" + String(repeating: "9", count: 100_000)
        #expect(throws: MoneyError.tooManyDecimals(allowed: 2)) { try Money(parsing: longNegativeExponent, exponent: 2) }
        // Digits and exponent that cancel out exactly: 1 followed by 10 000 zeros, times 10^-10 000.
        let cancelling = "1" + String(repeating: "0", count: 10_000) + "e-10000"
        #expect(try Money(parsing: cancelling, exponent: 2).minorUnits == 100)
        let zeroExponentZeros = "0e" + String(repeating: "9", count: 10_000)
        #expect(try Money(parsing: zeroExponentZeros, exponent: 2).minorUnits == 0)
        let junkAtTheEnd = String(repeating: "1", count: 100_000) + "x"
        #expect(throws: MoneyError.notANumber) { try Money(parsing: junkAtTheEnd, exponent: 2) }
    }

    @Test func trailingZerosBeyondNineteenDigits() throws {
        #expect(try Money(parsing: "12300000000000000000000e-20", exponent: 2).minorUnits == 12300)
        #expect(try Money(parsing: "1234567890123.0000000000000000", exponent: 0).minorUnits == 1_234_567_890_123)
        #expect(throws: MoneyError.tooManyDecimals(allowed: 0)) {
            try Money(parsing: "1234567890123.4500000000000000", exponent: 0)
        }
        let scaled = "0." + String(repeating: "0", count: 20) + "1234567890123e33"
        #expect(try Money(parsing: scaled, exponent: 0).minorUnits == 1_234_567_890_123)
        #expect(throws: MoneyError.outOfRange) { try Money(parsing: scaled, exponent: 2) }
    }

    @Test func errorsDescribeThemselves() {
        #expect(MoneyError.notANumber.description == "value is not a finite decimal number")
        #expect(MoneyError.tooManyDecimals(allowed: 2).description == "value has more than 2 decimals")
        #expect(MoneyError.tooManyDecimals(allowed: 0).description == "value must be a whole number")
        #expect(MoneyError.outOfRange.description == "value is out of range")
    }
}
