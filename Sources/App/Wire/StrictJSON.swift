/// A strict RFC 8259 check, with I-JSON's (RFC 7493) refusal of unpaired surrogates, run before
/// Foundation's JSONDecoder: that decoder accepts trailing commas, raw control characters and
/// invalid UTF-8, and never looks at the keys a route does not read.
struct StrictJSON {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    static let maxDepth = 64

    static func isValid(_ bytes: [UInt8]) -> Bool {
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        var parser = StrictJSON(bytes: bytes)
        parser.skipWhitespace()
        guard parser.value() else { return false }
        parser.skipWhitespace()
        return parser.index == bytes.count
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func literal(_ word: String) -> Bool {
        for byte in word.utf8 {
            guard current == byte else { return false }
            index += 1
        }
        return true
    }

    private mutating func value() -> Bool {
        switch current {
        case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), member: true)
        case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), member: false)
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func container(close: UInt8, member: Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { return false }
        index += 1
        skipWhitespace()
        if current == close {
            index += 1
            return true
        }
        while true {
            if member {
                guard current == UInt8(ascii: "\""), string() else { return false }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
                skipWhitespace()
            }
            guard value() else { return false }
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            guard current == close else { return false }
            index += 1
            return true
        }
    }

    private mutating func string() -> Bool {
        index += 1
        var pendingHighSurrogate = false
        while let byte = current {
            index += 1
            if byte == UInt8(ascii: "\"") { return !pendingHighSurrogate }
            if byte < 0x20 { return false }
            guard byte == UInt8(ascii: "\\") else {
                if pendingHighSurrogate { return false }
                continue
            }
            guard let escape = current else { return false }
            index += 1
            if escape == UInt8(ascii: "u") {
                guard let unit = hexUnit() else { return false }
                switch unit {
                case 0xD800...0xDBFF:
                    if pendingHighSurrogate { return false }
                    pendingHighSurrogate = true
                case 0xDC00...0xDFFF:
                    if !pendingHighSurrogate { return false }
                    pendingHighSurrogate = false
                default:
                    if pendingHighSurrogate { return false }
                }
            } else {
                guard !pendingHighSurrogate, Array("\"\\/bfnrt".utf8).contains(escape) else { return false }
            }
        }
        return false
    }

    private mutating func hexUnit() -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = hexDigitValue(byte) else { return nil }
            unit = unit << 4 | UInt16(digit)
        }
        index += 4
        return unit
    }

    private mutating func number() -> Bool {
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { return false }
        index += 1
        if first != UInt8(ascii: "0") { digits() }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    @discardableResult
    private mutating func digits() -> Int {
        let start = index
        while let byte = current, isDigit(byte) { index += 1 }
        return index - start
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

/// The value of an ASCII hexadecimal digit.
private func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x46: byte - 0x41 + 10
    case 0x61...0x66: byte - 0x61 + 10
    default: nil
    }
}
