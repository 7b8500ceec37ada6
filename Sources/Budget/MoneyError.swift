/// Why a decimal number is not an acceptable amount.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a finite decimal number as JSON writes it (junk, NaN, Infinity, empty).
    case notANumber
    /// More significant decimals than the currency's minor unit has.
    case tooManyDecimals(allowed: Int)
    /// More than `Money.maxMinorUnits` minor units either way.
    case outOfRange

    /// Phrased for an API validation message.
    public var description: String {
        switch self {
        case .notANumber: "value is not a finite decimal number"
        case .tooManyDecimals(let allowed):
            allowed == 0 ? "value must be a whole number" : "value has more than \(allowed) decimals"
        case .outOfRange: "value is out of range"
        }
    }
}
