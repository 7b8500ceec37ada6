/// An exact amount of money: a count of minor units (cents) and the currency's exponent.
///
/// Amounts with different exponents compare and hash by value (1.5 with exponent 1 equals 1.50
/// with exponent 2), so `==`, `<` and `hashValue` agree.
public struct Money: Sendable, Hashable, Comparable {
    /// The largest magnitude `init(parsing:exponent:)` and `init(decimal:exponent:)` accept:
    /// far above any household budget, far below where sums of many amounts could overflow Int64.
    public static let maxMinorUnits: Int64 = 10_000_000_000_000
    /// Exponents beyond this have no currency and would not fit comparisons in Int128.
    public static let maxExponent = 18

    public let minorUnits: Int64
    public let exponent: Int

    /// Any Int64 is representable (sums may exceed `maxMinorUnits`); `exponent` must be in
    /// `0...maxExponent`.
    public init(minorUnits: Int64, exponent: Int) {
        precondition((0...Self.maxExponent).contains(exponent), "Money exponent \(exponent) out of 0...\(Self.maxExponent)")
        self.minorUnits = minorUnits
        self.exponent = exponent
    }

    public init(minorUnits: Int64, currency: Currency) {
        self.init(minorUnits: minorUnits, exponent: currency.exponent)
    }

    public static func == (lhs: Money, rhs: Money) -> Bool {
        if lhs.exponent == rhs.exponent { return lhs.minorUnits == rhs.minorUnits }
        return lhs.aligned(to: Self.maxExponent) == rhs.aligned(to: Self.maxExponent)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        if lhs.exponent == rhs.exponent { return lhs.minorUnits < rhs.minorUnits }
        return lhs.aligned(to: Self.maxExponent) < rhs.aligned(to: Self.maxExponent)
    }

    public func hash(into hasher: inout Hasher) {
        let (units, exponent) = normalized
        hasher.combine(units)
        hasher.combine(exponent)
    }

    /// The same value with trailing decimal zeros removed: the one form equal values share.
    var normalized: (units: Int64, exponent: Int) {
        var units = minorUnits
        var exponent = exponent
        while exponent > 0, units % 10 == 0 {
            units /= 10
            exponent -= 1
        }
        return (units, exponent)
    }

    /// |Int64| × 10^18 < 2^127, so this never overflows.
    private func aligned(to target: Int) -> Int128 {
        Int128(minorUnits) * powersOfTen128[target - exponent]
    }
}
