import Foundation

extension Money {
    /// Exact parse of a decimal number as JSON writes it: optional `-`, digits, optional `.` and
    /// digits, optional exponent (`e`/`E`, optional sign, digits). Leading zeros are tolerated.
    ///
    /// Trailing zeros are not decimals (`"12.340"` is fine with exponent 2), and neither is an
    /// exponent that brings them back (`"1234e-2"`). When a number both has too many decimals and
    /// is out of range, `tooManyDecimals` wins. Work and memory are bounded whatever the input:
    /// only the first 19 significant digits are kept, and the exponent saturates.
    public init(parsing text: String, exponent: Int) throws(MoneyError) {
        let literal = try DecimalLiteral(parsing: text)
        self.init(minorUnits: try literal.minorUnits(exponent: exponent), exponent: exponent)
    }

    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        try self.init(parsing: text, exponent: currency.exponent)
    }

    /// Exact conversion from what `JSONDecoder` produces for a JSON number, under the same rules
    /// as `init(parsing:exponent:)`.
    ///
    /// Goes through `Decimal.description`, which writes every digit in plain positional notation
    /// (no exponent, no locale), because Foundation offers no public exact access to the mantissa.
    public init(decimal: Decimal, exponent: Int) throws(MoneyError) {
        guard !decimal.isNaN else { throw .notANumber }
        try self.init(parsing: decimal.description, exponent: exponent)
    }

    public init(decimal: Decimal, currency: Currency) throws(MoneyError) {
        try self.init(decimal: decimal, exponent: currency.exponent)
    }
}

/// A syntactically valid decimal number, kept as: sign, the count of its significant digits
/// (without leading or trailing zeros), the value of those digits when there are at most 19 of
/// them, and the power of ten that scales them.
struct DecimalLiteral: Equatable {
    var isNegative = false
    var significantDigits = 0
    /// The significant digits as an integer; meaningful only when `significantDigits <= 19`.
    var significand: UInt64 = 0
    /// value = ±significand × 10^scale
    var scale = 0

    /// Larger exponents all mean "out of range" or "too many decimals"; saturating here keeps the
    /// arithmetic below far from Int overflow however many exponent digits arrive.
    private static let exponentCap = 1 << 40
    private static let keptDigits = 19

    init(parsing text: String) throws(MoneyError) {
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") {
            isNegative = true
            bytes = bytes.dropFirst()
        }

        var seen = 0  // digits since the first non-zero one, trailing zeros included
        var kept: UInt64 = 0  // the first `keptDigits` of those
        func take(_ digit: UInt8) {
            guard seen > 0 || digit != 0 else { return }
            seen += 1
            if seen <= Self.keptDigits { kept = kept * 10 + UInt64(digit) }
            if digit != 0 { significantDigits = seen }
        }

        let integerDigits = Self.scanDigits(&bytes, into: take)
        guard integerDigits > 0 else { throw .notANumber }

        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = Self.scanDigits(&bytes, into: take)
            guard fractionDigits > 0 else { throw .notANumber }
        }

        var exponent = 0
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var negativeExponent = false
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
                negativeExponent = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            let exponentDigits = Self.scanDigits(&bytes) { digit in
                if exponent <= Self.exponentCap { exponent = exponent * 10 + Int(digit) }
            }
            guard exponentDigits > 0 else { throw .notANumber }
            if negativeExponent { exponent = -exponent }
        }
        guard bytes.isEmpty else { throw .notANumber }

        let trailingZeros = seen - significantDigits
        if significantDigits <= Self.keptDigits {
            let keptTrailingZeros = min(seen, Self.keptDigits) - significantDigits
            significand = kept / UInt64(powersOfTen128[keptTrailingZeros])
        }
        scale = significantDigits == 0 ? 0 : exponent - fractionDigits + trailingZeros
    }

    /// Consumes leading ASCII digits, handing each one's value to `body`; returns how many.
    private static func scanDigits(_ bytes: inout Substring.UTF8View, into body: (UInt8) -> Void) -> Int {
        var count = 0
        while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            body(byte - UInt8(ascii: "0"))
            bytes = bytes.dropFirst()
            count += 1
        }
        return count
    }

    /// The value in minor units of a currency with `exponent` decimals.
    func minorUnits(exponent: Int) throws(MoneyError) -> Int64 {
        guard significantDigits > 0 else { return 0 }
        let shift = scale + exponent
        guard shift >= 0 else { throw .tooManyDecimals(allowed: exponent) }
        // 10^13 has 14 digits: anything longer is out of range, and checking the length first
        // keeps the multiplication below inside UInt64.
        guard significantDigits + shift <= 14 else { throw .outOfRange }
        let magnitude = significand * UInt64(powersOfTen128[shift])
        guard magnitude <= UInt64(Money.maxMinorUnits) else { throw .outOfRange }
        return isNegative ? -Int64(magnitude) : Int64(magnitude)
    }
}
