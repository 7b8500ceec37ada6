import Budget
import Foundation
import NIOCore
import Testing

@testable import App

/// The hand-written JSON of the list endpoints is byte for byte what the API's encoder writes.
@Suite struct JSONBytesTests {
    func written(_ write: (inout ByteBuffer) -> Void) -> String {
        var buffer = ByteBuffer()
        write(&buffer)
        return String(buffer: buffer)
    }

    @Test func stringsAreEscapedAsTheEncoderEscapesThem() throws {
        let values = ["", "plain", "quote \" and backslash \\", "slash / stays", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}",
                      "Grüße 🍞🍕 👨‍👩‍👧", "\u{2028}\u{2029}", "</script>", "\\\"\\", "a\u{0}b", String(repeating: "ü\"", count: 300)]
        for value in values {
            let encoded = String(decoding: try WireJSON.encoder.encode(value), as: UTF8.self)
            #expect(written { JSONBytes.string(value, into: &$0) } == encoded, "\(value.debugDescription)")
        }
    }

    @Test(arguments: 0...4) func amountsAreTheShortestExactDecimal(exponent: Int) throws {
        var values: [Int64] = [0, 1, -1, 5, -5, 10, 100, 1_000, 1_250, 1_200, -350, 99_999, 100_001, 123_456_789, .max, .min, .max - 1, .min + 1]
        var random = SystemRandomNumberGenerator()
        values += (0..<500).map { _ in Int64.random(in: -10_000_000_000...10_000_000_000, using: &random) }
        for minor in values {
            let money = Money(minorUnits: minor, exponent: exponent)
            let text = written { JSONBytes.money(minorUnits: minor, exponent: exponent, into: &$0) }
            #expect(text == money.description, "\(minor) at exponent \(exponent)")
            if minor != .min, minor != .max, minor != .max - 1, minor != .min + 1 {
                // What the old path wrote: the amount as a Decimal through the encoder.
                #expect(text == String(decoding: try WireJSON.encoder.encode(money.decimal), as: UTF8.self), "\(minor) at exponent \(exponent)")
            }
        }
    }

    @Test func integersAndBooleans() {
        for value: Int64 in [0, 7, -7, 1_758_362_400_000, -62_135_596_800_000, .max, .min] {
            #expect(written { JSONBytes.integer(value, into: &$0) } == String(value))
        }
        #expect(written { JSONBytes.bool(true, into: &$0) } == "true")
        #expect(written { JSONBytes.bool(false, into: &$0) } == "false")
    }
}

extension JSONBytesTests {
    /// The room reserved is the longest form: a string of control characters takes six bytes
    /// each, written into a buffer with no spare room, and still whole.
    @Test func theReservedRoomHoldsTheLongestForms() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) } + Array(repeating: 0x01, count: 200), as: UTF8.self)
        var buffer = ByteBuffer()
        JSONBytes.string(controls, into: &buffer)
        #expect(String(buffer: buffer) == String(decoding: try WireJSON.encoder.encode(controls), as: UTF8.self))
        // Six bytes each but for \b \t \n \f \r (two), and the quotes.
        #expect(buffer.readableBytes == 2 + 6 * (controls.utf8.count - 5) + 2 * 5)
        for value: Int64 in [.min, .max] {
            var exact = ByteBuffer()
            JSONBytes.write(into: &exact, atMost: JSONBytes.Bound.integer) { $0.integer(value) }
            #expect(exact.readableBytes <= JSONBytes.Bound.integer)
            for exponent in 0...JSONBytes.maxExponent {
                var money = ByteBuffer()
                JSONBytes.write(into: &money, atMost: JSONBytes.Bound.money) { $0.money(minorUnits: value, exponent: exponent) }
                #expect(money.readableBytes <= JSONBytes.Bound.money)
                if exponent <= 4 {
                    #expect(String(buffer: money) == Money(minorUnits: value, exponent: exponent).description)
                }
            }
        }
    }
}

extension JSONBytesTests {
    /// The word-at-a-time scan against the byte test, for every byte in every position of a word
    /// among bytes that need no escape, and for random words.
    @Test func theWordScanFindsEveryByteThatNeedsEscaping() {
        func byByte(_ word: UInt64) -> Bool {
            (0..<8).contains { shift in
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(shift)))
                return byte < 0x20 || byte == 0x22 || byte == 0x5C
            }
        }
        for filler: UInt8 in [0x20, 0x21, 0x23, 0x41, 0x5B, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF] {
            for byte in 0...255 as ClosedRange<UInt8> {
                for position in 0..<8 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = byte
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    #expect(JSONRawWriter.needsEscape(word) == byByte(word), "\(bytes)")
                }
            }
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let word = random.next() as UInt64
            #expect(JSONRawWriter.needsEscape(word) == byByte(word))
        }
    }
}
