import Foundation
import Testing

@testable import Budget

@Suite struct MoneyFormattingTests {
    @Test(arguments: [
        (1250, 2, "12.5", "12.50"), (1200, 2, "12", "12.00"), (-5, 2, "-0.05", "-0.05"),
        (7, 0, "7", "7"), (0, 2, "0", "0.00"), (0, 0, "0", "0"), (0, 3, "0", "0.000"),
        (1, 2, "0.01", "0.01"), (-1, 2, "-0.01", "-0.01"), (10, 2, "0.1", "0.10"), (100, 2, "1", "1.00"),
        (-100, 2, "-1", "-1.00"), (1, 3, "0.001", "0.001"), (-1000, 3, "-1", "-1.000"),
        (1230, 3, "1.23", "1.230"), (5, 1, "0.5", "0.5"), (-1500, 0, "-1500", "-1500"),
        (123_456_789, 4, "12345.6789", "12345.6789"), (1, 18, "0.000000000000000001", "0.000000000000000001"),
        (10_000_000_000_000, 2, "100000000000", "100000000000.00"),
        (-10_000_000_000_000, 0, "-10000000000000", "-10000000000000"),
        (Int64.max, 2, "92233720368547758.07", "92233720368547758.07"),
        (Int64.min, 2, "-92233720368547758.08", "-92233720368547758.08"),
        (Int64.min, 0, "-9223372036854775808", "-9223372036854775808"),
        (Int64.min, 18, "-9.223372036854775808", "-9.223372036854775808"),
        (Int64.max, 18, "9.223372036854775807", "9.223372036854775807"),
        (1_000_000_000_000_000_000, 18, "1", "1.000000000000000000"),
    ] as [(Int64, Int, String, String)])
    func descriptions(minorUnits: Int64, exponent: Int, shortest: String, fixed: String) {
        let money = Money(minorUnits: minorUnits, exponent: exponent)
        #expect(money.description == shortest)
        #expect(money.fixedDescription == fixed)
        #expect("\(money)" == shortest)
    }

    static let roundTripValues: [Int64] = {
        var values: [Int64] = [0, 1, -1, 9, 10, 11, 99, 100, 101, 105, 1250, -1250, 123_456, 1_000_000,
                               9_999_999_999_999, 10_000_000_000_000, -10_000_000_000_000, 4_294_967_296]
        var power: Int64 = 1
        for _ in 0..<13 {
            values += [power, -power, power - 1, power + 1, 7 * power, -3 * power]
            power *= 10
        }
        // A deterministic spread of awkward values.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(state >> 20) % 10_000_000_000_001 * (state & 1 == 0 ? 1 : -1))
        }
        return values
    }()

    @Test(arguments: [0, 1, 2, 3, 4])
    func descriptionParsesBackExactly(exponent: Int) throws {
        for units in Self.roundTripValues {
            let money = Money(minorUnits: units, exponent: exponent)
            #expect(try Money(parsing: money.description, exponent: exponent) == money)
            #expect(try Money(parsing: money.fixedDescription, exponent: exponent) == money)
            #expect(try Money(parsing: money.description, exponent: exponent).minorUnits == units)
        }
    }

    @Test func descriptionIsShortest() throws {
        for units in Self.roundTripValues {
            let text = Money(minorUnits: units, exponent: 2).description
            #expect(!text.hasSuffix(".") && !(text.contains(".") && text.hasSuffix("0")))
            #expect(!text.hasPrefix("-0") || text.hasPrefix("-0."))
            #expect(!text.hasPrefix("00"))
        }
    }
}
