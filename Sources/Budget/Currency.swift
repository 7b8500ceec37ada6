import Foundation

/// An ISO 4217 currency with its minor-unit exponent.
///
/// Any three ASCII letters are accepted: the household picks its currency once, and an unlisted
/// code is far more likely a new ISO currency (which almost always has two decimals) than a typo
/// worth refusing. Only the exponent matters to the arithmetic.
///
/// Encodes as its bare code (`"EUR"`), because the exponent follows from the code: storing both
/// would let a stored pair contradict the table.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Uppercase, three ASCII letters.
    public let code: String
    /// Decimals of the minor unit: 2 for most currencies.
    public let exponent: Int

    /// Accepts any case; `nil` unless exactly three ASCII letters.
    public init?(code: String) {
        let bytes = Array(code.utf8)
        guard bytes.count == 3, bytes.allSatisfy(Self.isASCIILetter) else { return nil }
        let upper = String(decoding: bytes.map(Self.uppercased), as: UTF8.self)
        self.code = upper
        self.exponent = Self.nonTwoExponents[upper] ?? 2
    }

    public static let euro = Currency(code: "EUR")!

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let currency = Currency(code: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an ISO 4217 currency code: \(text)")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// ISO 4217 codes whose minor unit is not 1/100 (list of 2024). Funds and metals without a minor
    /// unit (XAU, XDR, …) are left at 2: nobody budgets in them, and 2 is harmless.
    static let nonTwoExponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func uppercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") ? byte - 32 : byte
    }
}
