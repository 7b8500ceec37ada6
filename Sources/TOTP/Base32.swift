/// RFC 4648 Base32 (the alphabet A–Z2–7), the format authenticator apps take secrets in.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Padding defaults to off: the otpauth:// format asks for secrets without '='.
    public static func encode(_ bytes: [UInt8], padding: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int((buffer >> UInt32(bitCount)) & 0x1f)])
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bitCount)) & 0x1f)])
        }
        if padding {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Case-insensitive, with optional '=' padding (only at the end, and only as much as the data
    /// length calls for). Spaces and hyphens are skipped because authenticator apps and people
    /// write secrets in groups. Non-zero bits left over in the last character are accepted, as most
    /// libraries do. Any other character, or a length no encoder produces, gives nil.
    public static func decode(_ string: String) -> [UInt8]? {
        var values: [UInt8] = []
        var paddingCount = 0
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "-"):
                continue
            case UInt8(ascii: "="):
                paddingCount += 1
            default:
                // Data after padding means the '=' was not at the end.
                guard paddingCount == 0, let value = value(of: byte) else { return nil }
                values.append(value)
            }
        }

        // 1, 3 and 6 characters in the last group cannot come from whole bytes.
        let expectedPadding: Int
        switch values.count % 8 {
        case 0: expectedPadding = 0
        case 2: expectedPadding = 6
        case 4: expectedPadding = 4
        case 5: expectedPadding = 3
        case 7: expectedPadding = 1
        default: return nil
        }
        guard paddingCount == 0 || paddingCount == expectedPadding else { return nil }

        var output: [UInt8] = []
        output.reserveCapacity(values.count * 5 / 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for value in values {
            buffer = (buffer << 5) | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
            }
        }
        return output
    }

    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): byte - UInt8(ascii: "2") + 26
        default: nil
        }
    }
}
