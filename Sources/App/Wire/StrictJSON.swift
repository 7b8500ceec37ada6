/// The checks of strict RFC 8259 JSON, with I-JSON's (RFC 7493) refusal of unpaired surrogates
/// and a nesting limit of ours, that Foundation's JSONDecoder does not make; run before it on
/// every body so that a body is refused whatever keys the route reads.
///
/// Measured on Linux (swift-foundation, Swift 6.3.1; StrictJSONTests checks each still holds):
/// JSONDecoder scans the whole document before it decodes anything, unread values included, and
/// refuses bad structure (brackets, colons, commas between members, keys that are not strings),
/// misspelt `true`/`false`/`null`, a value that starts with anything but `"`, `{`, `[`, `t`,
/// `f`, `n`, `-` or a digit (so `+1`, `.5`, `0x10`, `NaN`, `Infinity`, single quotes, unquoted
/// keys, comments), whitespace other than space, tab, LF and CR, anything after the top-level
/// value, an empty body and nesting past 512, each as `DecodingError.dataCorrupted` with an
/// empty coding path, which ErrorMiddleware answers as it answers a refusal here (422, `["body"]`,
/// `json_invalid`). None of that is checked again. What it lets through, and this refuses:
/// - a trailing comma in an object or an array, at any depth;
/// - anything in a string it does not decode (the value of a key the route does not read, a key
///   of an object it never opens): raw control characters, invalid UTF-8 (ill-formed, overlong,
///   encoded surrogates), escapes other than `\" \\ \/ \b \f \n \r \t \uXXXX`, unpaired
///   surrogate escapes. It checks a string only when it decodes it;
/// - anything off the grammar, past a first `-` or digit, in a number it does not decode:
///   `012`, `1.`, `-.5`, `1e`, `--1`, `1.2.3`;
/// - a UTF-8 byte-order mark, and UTF-16 or UTF-32, which it sniffs in the first four bytes and
///   transcodes (a lone `7\0` is the number 7 in UTF-16);
/// - nesting deeper than `maxDepth` (it allows 512).
///
/// None of that needs the grammar, so this is one pass over the tokens Foundation skips over:
/// strings, numbers, brackets and commas. `isValid` is true for a body with no such problem even
/// if it is no JSON at all; JSONDecoder refuses that one.
struct StrictJSON {
    private let bytes: [UInt8]
    private var index = 0

    static let maxDepth = 64

    static func isValid(_ bytes: [UInt8]) -> Bool {
        // What JSONDecoder's sniffing would take for a BOM, UTF-16 or UTF-32; then UTF-8 that
        // it checks only in the strings it decodes (outside strings it refuses any non-ASCII).
        guard !bytes.starts(with: [0xEF, 0xBB, 0xBF]), !bytes.prefix(4).contains(0),
              String(validating: bytes, as: UTF8.self) != nil
        else { return false }
        var scanner = StrictJSON(bytes: bytes)
        return scanner.tokens()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func tokens() -> Bool {
        var depth = 0
        var afterComma = false
        while let byte = current {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                continue
            case UInt8(ascii: "\""):
                guard string() else { return false }
            case UInt8(ascii: "-"), 0x30...0x39:
                guard number() else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= Self.maxDepth else { return false }
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !afterComma else { return false }
                depth -= 1
                index += 1
            default:
                // `:`, `,`, the letters of literals and anything else: the grammar is Foundation's.
                index += 1
            }
            afterComma = byte == UInt8(ascii: ",")
        }
        return true
    }

    /// A string from its opening quote to past its closing one.
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

    /// A number from its `-` or first digit; Foundation takes the whole run of digits and
    /// `. + - e E` that follows as the number, so all of it must be the number.
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
        guard let next = current else { return true }
        switch next {
        case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "e"), UInt8(ascii: "E"): return false
        default: return true
        }
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
