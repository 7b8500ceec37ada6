import Foundation
import SeededRandom
import Testing

@testable import Budget

@Suite struct MoneyPropertyTests {
    /// Any amount within range, written as the server writes it, reads back to itself, for
    /// every exponent a currency has.
    @Test(arguments: [0, 2, 3])
    func everyAmountRoundTripsThroughItsText(exponent: Int) throws {
        var random = SeededGenerator(seed: UInt64(exponent) + 11)
        for _ in 0..<5_000 {
            let units = Int64.random(in: -9_999_999_999_999...9_999_999_999_999, using: &random)
            let money = Money(minorUnits: units, exponent: exponent)
            #expect(try Money(parsing: money.description, exponent: exponent) == money, "\(units)")
            #expect(try Money(parsing: money.fixedDescription, exponent: exponent) == money)
            #expect(try Money(decimal: money.decimal, exponent: exponent) == money)
        }
    }

    /// Text assembled from number-ish pieces: parsing never crashes, and whatever it accepts is a
    /// JSON number whose exact value has at most `exponent` decimals.
    @Test(arguments: [12, 13, 14] as [UInt64])
    func arbitraryTextIsReadExactlyOrRefused(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let pieces = ["0", "1", "5", "9", "00", "-", "+", ".", "e", "E", "e-", "e+", "12", "999999999999", " ", ",", "٣", "１", "x", "NaN", "Infinity"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            guard let money = try? Money(parsing: text, exponent: 2) else { continue }
            // Accepted: Foundation reads the same value (where it can), and our text of it reads back.
            #expect(text.range(of: #"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil, "\(text.debugDescription)")
            if let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
                #expect(decimal * 100 == Decimal(money.minorUnits), "\(text.debugDescription)")
            }
            #expect((try? Money(parsing: money.description, exponent: 2)) == money)
        }
    }
}
