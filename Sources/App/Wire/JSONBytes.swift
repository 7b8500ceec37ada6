import NIOCore

/// JSON values written as bytes straight into a ByteBuffer, for the answers that hold thousands
/// of rows (GET /spending/): JSONEncoder builds a tree of boxed values per row and formats each
/// amount through Decimal, ≈10 µs a row; this writes the same bytes (tested against
/// `WireJSON.encoder`) without a String or an allocation per field.
enum JSONBytes {
    /// A string literal from UTF-8 bytes, escaped as Foundation's JSONEncoder escapes: quote,
    /// backslash and the control characters (`/` is left alone, as our `withoutEscapingSlashes`
    /// encoder does); every other byte is copied, so non-ASCII text stays UTF-8.
    static func string(_ utf8: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if index > start { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: utf8[start..<index])) }
            writeEscape(byte, into: &buffer)
            start = index + 1
        }
        if utf8.count > start { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: utf8[start..<utf8.count])) }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    static func string(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { string(UnsafeRawBufferPointer($0), into: &buffer) }
    }

    private static func writeEscape(_ byte: UInt8, into buffer: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        default:
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hexDigit(byte >> 4))
            buffer.writeInteger(hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Decimal digits of `value`, with a minus sign when negative (Int64.min included).
    static func integer(_ value: Int64, into buffer: inout ByteBuffer) {
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        digits(value.magnitude, minimumCount: 1, into: &buffer)
    }

    /// An amount of `minorUnits` with `exponent` decimals as `Money.description` writes it (and
    /// JSONEncoder writes its Decimal): the shortest exact text, 1250 (exp 2) → 12.5, 1200 → 12,
    /// -5 → -0.05.
    static func money(minorUnits: Int64, exponent: Int, into buffer: inout ByteBuffer) {
        if minorUnits < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var magnitude = minorUnits.magnitude
        var decimals = exponent
        while decimals > 0, magnitude % 10 == 0 {
            magnitude /= 10
            decimals -= 1
        }
        guard decimals > 0 else { return digits(magnitude, minimumCount: 1, into: &buffer) }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        digits(magnitude / scale, minimumCount: 1, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "."))
        digits(magnitude % scale, minimumCount: decimals, into: &buffer)
    }

    /// `value` in decimal, left-padded with zeros to `minimumCount` digits.
    private static func digits(_ value: UInt64, minimumCount: Int, into buffer: inout ByteBuffer) {
        // 20 digits hold UInt64.max; an exponent is at most 4 (Currency).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { scratch in
            var position = scratch.count
            var rest = value
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            while scratch.count - position < minimumCount, position > 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "0")
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(scratch)[position...]))
        }
    }

    static func bool(_ value: Bool, into buffer: inout ByteBuffer) {
        if value { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
    }
}
