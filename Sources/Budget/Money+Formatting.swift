import Foundation

extension Money: CustomStringConvertible {
    /// Shortest exact decimal text, as JSON would carry it: 1250 (exp 2) → "12.5", 1200 → "12",
    /// -5 → "-0.05". `init(parsing:exponent:)` reads it back to the same amount.
    public var description: String {
        let (whole, fraction) = digits
        let trimmed = fraction.reversed().drop { $0 == "0" }.reversed()
        return sign + whole + (trimmed.isEmpty ? "" : "." + String(trimmed))
    }

    /// Every decimal of the currency written out: 1250 (exp 2) → "12.50"; for display.
    public var fixedDescription: String {
        let (whole, fraction) = digits
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The exact value (1250, exp 2 → 12.5). `JSONEncoder` writes a Decimal's digits exactly, so
    /// this is how an amount leaves the server without ever being a binary fraction.
    public var decimal: Decimal {
        let (units, exponent) = normalized
        return Decimal(
            sign: units < 0 ? .minus : .plus,
            exponent: -exponent,
            significand: Decimal(units.magnitude))
    }

    private var sign: String { minorUnits < 0 ? "-" : "" }

    /// Magnitude split into whole units and exactly `exponent` decimal digits. Works on the
    /// magnitude as UInt64 so that Int64.min formats too.
    private var digits: (whole: String, fraction: String) {
        let text = String(minorUnits.magnitude)
        let padded = String(repeating: "0", count: max(0, exponent + 1 - text.count)) + text
        let split = padded.index(padded.endIndex, offsetBy: -exponent)
        return (String(padded[..<split]), String(padded[split...]))
    }
}
