@testable import QRCode

enum Fixtures {
    static let otpauth = "otpauth://totp/STracker:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=STracker&algorithm=SHA1&digits=6&period=30"

    /// Bytes that fill `version` exactly at `level`, so the encoder must pick that version.
    static func fullSymbol(version: Int, level: QRErrorCorrection = .medium) throws -> QRCode {
        let count = DataCodewords.byteCapacity(version: version, level: level)
        return try QRCode(bytes: bytes(count: count), errorCorrection: level)
    }

    /// Varied, deterministic bytes (all 256 values occur), not a run of one value.
    static func bytes(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    }

    /// A plausible URI of exactly `length` ASCII bytes.
    static func uri(length: Int) -> String {
        var text = "https://budget.example.org/share?household=42"
        var index = 0
        while text.utf8.count < length {
            text += "&funnel\(index)=Groceries-\(index * 7 % 13)"
            index += 1
        }
        return String(text.prefix(length))
    }
}
