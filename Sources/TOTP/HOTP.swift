import Crypto
import Foundation

/// The hash behind the HMAC. The raw values are the spellings the otpauth:// format uses.
public enum OTPAlgorithm: String, Sendable, CaseIterable {
    case sha1 = "SHA1"
    case sha256 = "SHA256"
    case sha512 = "SHA512"
}

public enum OTPError: Error, Equatable, Sendable {
    case invalidDigits
    case invalidPeriod
    case emptySecret
}

/// RFC 4226 HMAC-based one-time passwords.
public struct HOTP: Sendable {
    /// RFC 4226 requires at least 6 digits; more than 8 would need more than the 31 bits that
    /// dynamic truncation yields to stay uniform, and no authenticator app shows them.
    public static let allowedDigits: ClosedRange<Int> = 6...8

    public let digits: Int
    public let algorithm: OTPAlgorithm
    private let key: SymmetricKey

    public init(secret: [UInt8], digits: Int = 6, algorithm: OTPAlgorithm = .sha1) throws(OTPError) {
        guard Self.allowedDigits.contains(digits) else { throw .invalidDigits }
        guard !secret.isEmpty else { throw .emptySecret }
        self.digits = digits
        self.algorithm = algorithm
        self.key = SymmetricKey(data: secret)
    }

    public func code(counter: UInt64) -> String {
        let value = truncatedValue(counter: counter) % Self.modulus(digits: digits)
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The full HMAC of the counter (RFC 4226 section 5.3, step 1), kept internal for the RFC's test vectors.
    func hmac(counter: UInt64) -> [UInt8] {
        // The counter is hashed as 8 bytes, most significant first.
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
        switch algorithm {
        case .sha1:
            return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256:
            return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512:
            return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    /// The 31-bit value of dynamic truncation (RFC 4226 section 5.3, step 2), before the modulus.
    func truncatedValue(counter: UInt64) -> UInt32 {
        Self.dynamicTruncation(of: hmac(counter: counter))
    }

    static func dynamicTruncation(of mac: [UInt8]) -> UInt32 {
        // The offset comes from the low nibble of the last byte; this also holds for SHA-256/512 (RFC 6238).
        let offset = Int(mac[mac.count - 1] & 0x0f)
        // The top bit is masked so that signed and unsigned implementations agree.
        return (UInt32(mac[offset] & 0x7f) << 24)
            | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
    }

    private static func modulus(digits: Int) -> UInt32 {
        var result: UInt32 = 1
        for _ in 0..<digits { result *= 10 }
        return result
    }
}
