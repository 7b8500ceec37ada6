import NIOCore

/// JSON values written as bytes, for the answers that hold thousands of rows (GET /spending/,
/// /history, the export): JSONEncoder builds a tree of boxed values per row and formats each
/// amount through Decimal, ≈10 µs a row; this writes the same bytes (tested against
/// `WireJSON.encoder`) without a String or an allocation per field.
///
/// The values are written by `JSONRawWriter` into room reserved once for their longest form
/// (`Bound`): ByteBuffer's own writes check capacity, uniqueness and exclusivity on every call,
/// which cost more than the JSON itself when called per byte (4 000 instructions a listed row).
enum JSONBytes {
    /// The most bytes each kind of value can take.
    enum Bound {
        /// Every byte may become a six-byte `\u00XX`, plus the quotes.
        static func string(utf8Count: Int) -> Int { 6 * utf8Count + 2 }
        /// Sign and 20 digits (UInt64.max).
        static let integer = 21
        /// Sign, 20 digits, the point and up to `maxExponent` decimals.
        static let money = 22 + maxExponent
        static let bool = 5
    }

    /// Currencies have at most 4 decimals (Currency); room is reserved for twice that.
    static let maxExponent = 8

    /// Runs `body` on a writer over at least `bound` bytes of `buffer`'s free room and keeps
    /// what it wrote. `bound` must be at least what `body` writes: every store checks it (one
    /// comparison; a wrong bound traps instead of writing past the room).
    static func write(into buffer: inout ByteBuffer, atMost bound: Int, _ body: (inout JSONRawWriter) -> Void) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { room in
            var writer = JSONRawWriter(room)
            body(&writer)
            precondition(writer.position <= room.count, "JSON written past its reserved room")
            return writer.position
        }
    }

    /// A string literal from UTF-8 bytes (see `JSONRawWriter.string`).
    static func string(_ utf8: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        write(into: &buffer, atMost: Bound.string(utf8Count: utf8.count)) { $0.string(utf8) }
    }

    static func string(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { string(UnsafeRawBufferPointer($0), into: &buffer) }
    }

    static func integer(_ value: Int64, into buffer: inout ByteBuffer) {
        write(into: &buffer, atMost: Bound.integer) { $0.integer(value) }
    }

    static func money(minorUnits: Int64, exponent: Int, into buffer: inout ByteBuffer) {
        write(into: &buffer, atMost: Bound.money) { $0.money(minorUnits: minorUnits, exponent: exponent) }
    }

    static func bool(_ value: Bool, into buffer: inout ByteBuffer) {
        write(into: &buffer, atMost: Bound.bool) { $0.bool(value) }
    }
}

/// Writes JSON into memory reserved beforehand (`JSONBytes.write`): a bounds check and a store per byte.
struct JSONRawWriter {
    private let base: UnsafeMutableRawPointer?
    private let capacity: Int
    private(set) var position = 0

    init(_ room: UnsafeMutableRawBufferPointer) {
        base = room.baseAddress
        capacity = room.count
    }

    mutating func byte(_ byte: UInt8) {
        precondition(position < capacity, "JSON written past its reserved room")
        base.unsafelyUnwrapped.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
        position += 1
    }

    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(position + bytes.count <= capacity, "JSON written past its reserved room")
        (base.unsafelyUnwrapped + position).copyMemory(from: source, byteCount: bytes.count)
        position += bytes.count
    }

    mutating func staticString(_ text: StaticString) {
        bytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string literal from UTF-8 bytes, escaped as Foundation's JSONEncoder escapes: quote,
    /// backslash and the control characters (`/` is left alone, as our `withoutEscapingSlashes`
    /// encoder does); every other byte is copied, so non-ASCII text stays UTF-8.
    mutating func string(_ utf8: UnsafeRawBufferPointer) {
        byte(UInt8(ascii: "\""))
        var start = 0
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none needs escaping (ids, most notes): one test a word.
            if index + 8 <= utf8.count, !Self.needsEscape(utf8.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                if index > start { bytes(UnsafeRawBufferPointer(rebasing: utf8[start..<index])) }
                escape(byte)
                start = index + 1
            }
            index += 1
        }
        if utf8.count > start { bytes(UnsafeRawBufferPointer(rebasing: utf8[start..<utf8.count])) }
        byte(UInt8(ascii: "\""))
    }

    /// Whether any byte of `word` is below 0x20, a quote or a backslash. The classic tests
    /// ("has a byte less than n", "has a zero byte" of word XOR the byte repeated) are exact
    /// about whether such a byte exists, which is all the scan needs.
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let control = (word &- 0x20 &* ones) & ~word & highs != 0
        return control || hasZero(word ^ (0x22 &* ones)) || hasZero(word ^ (0x5C &* ones))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): staticString("\\\"")
        case UInt8(ascii: "\\"): staticString("\\\\")
        case 0x0A: staticString("\\n")
        case 0x0D: staticString("\\r")
        case 0x09: staticString("\\t")
        case 0x08: staticString("\\b")
        case 0x0C: staticString("\\f")
        default:
            staticString("\\u00")
            self.byte(Self.hexDigit(byte >> 4))
            self.byte(Self.hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Decimal digits of `value`, with a minus sign when negative (Int64.min included).
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        digits(value.magnitude, minimumCount: 1)
    }

    /// An amount of `minorUnits` with `exponent` decimals as `Money.description` writes it (and
    /// JSONEncoder writes its Decimal): the shortest exact text, 1250 (exp 2) → 12.5, 1200 → 12,
    /// -5 → -0.05.
    mutating func money(minorUnits: Int64, exponent: Int) {
        precondition((0...JSONBytes.maxExponent).contains(exponent), "exponent \(exponent) out of range")
        if minorUnits < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = minorUnits.magnitude
        var decimals = exponent
        while decimals > 0, magnitude % 10 == 0 {
            magnitude /= 10
            decimals -= 1
        }
        guard decimals > 0 else { return digits(magnitude, minimumCount: 1) }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        digits(magnitude / scale, minimumCount: 1)
        byte(UInt8(ascii: "."))
        digits(magnitude % scale, minimumCount: decimals)
    }

    /// `value` in decimal, left-padded with zeros to `minimumCount` digits (at most 20).
    private mutating func digits(_ value: UInt64, minimumCount: Int) {
        var count = 1
        var power: UInt64 = 10
        // Digits of `value`: 10^count > value, without overflowing past 10^19.
        while count < 20, value >= power {
            count += 1
            power = power &* 10
        }
        count = max(count, min(minimumCount, 20))
        precondition(position + count <= capacity, "JSON written past its reserved room")
        var rest = value
        var at = position + count
        while at > position {
            at -= 1
            base.unsafelyUnwrapped.storeBytes(of: UInt8(ascii: "0") + UInt8(rest % 10), toByteOffset: at, as: UInt8.self)
            rest /= 10
        }
        position += count
    }

    mutating func bool(_ value: Bool) {
        if value { staticString("true") } else { staticString("false") }
    }
}
