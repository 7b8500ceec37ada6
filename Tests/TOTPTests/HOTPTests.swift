import Testing
@testable import TOTP

/// RFC 4226 Appendix D: secret "12345678901234567890", HMAC-SHA-1, 6 digits.
struct HOTPTests {
    static let secret = Array("12345678901234567890".utf8)

    struct Vector: Sendable, CustomTestStringConvertible {
        let counter: UInt64
        let hmac: String
        let truncatedHex: UInt32
        let truncatedDecimal: UInt32
        let code: String
        var testDescription: String { "count \(counter)" }
    }

    static let vectors: [Vector] = [
        Vector(counter: 0, hmac: "cc93cf18508d94934c64b65d8ba7667fb7cde4b0", truncatedHex: 0x4c93cf18, truncatedDecimal: 1284755224, code: "755224"),
        Vector(counter: 1, hmac: "75a48a19d4cbe100644e8ac1397eea747a2d33ab", truncatedHex: 0x41397eea, truncatedDecimal: 1094287082, code: "287082"),
        Vector(counter: 2, hmac: "0bacb7fa082fef30782211938bc1c5e70416ff44", truncatedHex: 0x82fef30, truncatedDecimal: 137359152, code: "359152"),
        Vector(counter: 3, hmac: "66c28227d03a2d5529262ff016a1e6ef76557ece", truncatedHex: 0x66ef7655, truncatedDecimal: 1726969429, code: "969429"),
        Vector(counter: 4, hmac: "a904c900a64b35909874b33e61c5938a8e15ed1c", truncatedHex: 0x61c5938a, truncatedDecimal: 1640338314, code: "338314"),
        Vector(counter: 5, hmac: "a37e783d7b7233c083d4f62926c7a25f238d0316", truncatedHex: 0x33c083d4, truncatedDecimal: 868254676, code: "254676"),
        Vector(counter: 6, hmac: "bc9cd28561042c83f219324d3c607256c03272ae", truncatedHex: 0x7256c032, truncatedDecimal: 1918287922, code: "287922"),
        Vector(counter: 7, hmac: "a4fb960c0bc06e1eabb804e5b397cdc4b45596fa", truncatedHex: 0x4e5b397, truncatedDecimal: 82162583, code: "162583"),
        Vector(counter: 8, hmac: "1b3c89f65e6c9e883012052823443f048b4332db", truncatedHex: 0x2823443f, truncatedDecimal: 673399871, code: "399871"),
        Vector(counter: 9, hmac: "1637409809a679dc698207310c8c7fc07290d9e5", truncatedHex: 0x2679dc69, truncatedDecimal: 645520489, code: "520489"),
    ]

    @Test("RFC 4226 Appendix D", arguments: vectors)
    func appendixD(_ vector: Vector) throws {
        let hotp = try HOTP(secret: Self.secret)
        #expect(hex(hotp.hmac(counter: vector.counter)) == vector.hmac)
        #expect(hotp.truncatedValue(counter: vector.counter) == vector.truncatedHex)
        #expect(vector.truncatedHex == vector.truncatedDecimal)
        #expect(hotp.code(counter: vector.counter) == vector.code)
    }

    @Test func codesAreZeroPadded() throws {
        // Counter 7's value 82162583 ends in 162583; for 8 digits it needs one leading zero.
        let hotp = try HOTP(secret: Self.secret, digits: 8)
        #expect(hotp.code(counter: 7) == "82162583")
        let padded = (0..<200).map { hotp.code(counter: $0) }
        #expect(padded.allSatisfy { $0.count == 8 })
        #expect(padded.contains { $0.hasPrefix("0") })
    }

    @Test func dynamicTruncationUsesTheLowNibbleOfTheLastByte() {
        // RFC 4226 section 5.4's worked example.
        let mac: [UInt8] = [
            0x1f, 0x86, 0x98, 0x69, 0x0e, 0x02, 0xca, 0x16, 0x61, 0x85,
            0x50, 0xef, 0x7f, 0x19, 0xda, 0x8e, 0x94, 0x5b, 0x55, 0x5a,
        ]
        #expect(HOTP.dynamicTruncation(of: mac) == 0x50ef7f19)
        #expect(HOTP.dynamicTruncation(of: mac) % 1_000_000 == 872921)
    }

    @Test(arguments: [Int.min, -1, 0, 5, 9, 10, Int.max])
    func rejectsDigitsOutsideSixToEight(_ digits: Int) {
        #expect(throws: OTPError.invalidDigits) { try HOTP(secret: Self.secret, digits: digits) }
    }

    @Test(arguments: 6...8)
    func acceptsSixToEightDigits(_ digits: Int) throws {
        let hotp = try HOTP(secret: Self.secret, digits: digits)
        #expect(hotp.code(counter: 0).count == digits)
        #expect(hotp.digits == digits)
    }

    @Test func rejectsAnEmptySecret() {
        #expect(throws: OTPError.emptySecret) { try HOTP(secret: []) }
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16)
        return text.count == 1 ? "0" + text : text
    }.joined()
}
