import Foundation
import Testing
@testable import App

/// StrictJSON makes only the checks that Foundation's JSONDecoder does not. Each refusal below
/// comes with the proof that JSONDecoder alone accepts the body: when that proof fails, a
/// Foundation has started refusing it and the check can go. What StrictJSON leaves to Foundation
/// is checked the other way: JSONDecoder refuses it as `dataCorrupted` with an empty coding path,
/// which ErrorMiddleware answers as StrictJSON's refusal is answered (422, ["body"], json_invalid).
@Suite struct StrictJSONTests {
    /// A body as a route reads it: `amount`, `note` and `ids` are decoded, `x` never is.
    struct Probe: Decodable {
        var amount: Decimal?
        var note: String?
        var ids: [String]?
    }

    struct Input: Sendable, CustomTestStringConvertible {
        let bytes: [UInt8]

        init(_ text: String) { bytes = Array(text.utf8) }
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        init(_ before: String, _ raw: [UInt8], _ after: String) { bytes = Array(before.utf8) + raw + Array(after.utf8) }

        var testDescription: String {
            let shown = bytes.prefix(60).map { byte in
                guard !(0x20..<0x7F).contains(byte) else { return String(UnicodeScalar(byte)) }
                let hex = String(byte, radix: 16, uppercase: true)
                return "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }.joined()
            return bytes.count > 60 ? "\(shown)… (\(bytes.count) bytes)" : shown
        }
    }

    /// JSONDecoder as it comes, and set up as the service's (snake_case keys).
    static func decoders() -> [JSONDecoder] {
        let snakeCase = JSONDecoder()
        snakeCase.keyDecodingStrategy = .convertFromSnakeCase
        return [JSONDecoder(), snakeCase]
    }

    static func decode<Value: Decodable>(
        _ input: Input, as type: Value.Type = Probe.self, with decoder: JSONDecoder = JSONDecoder()
    ) throws -> Value {
        try decoder.decode(Value.self, from: Data(input.bytes))
    }

    static func foundationAccepts<Value: Decodable>(_ input: Input, as type: Value.Type = Probe.self) -> Bool {
        decoders().allSatisfy { decoder in (try? decode(input, as: type, with: decoder)) != nil }
    }

    /// Whether JSONDecoder refuses the body the way ErrorMiddleware answers as json_invalid.
    static func foundationRefusesAsInvalidJSON(_ input: Input) -> Bool {
        decoders().allSatisfy { decoder in
            do {
                _ = try decode(input, with: decoder)
                return false
            } catch DecodingError.dataCorrupted(let context) {
                return context.codingPath.isEmpty
            } catch {
                return false
            }
        }
    }

    /// `x` nested `depth` deep in all, the body's own object included.
    static func nested(_ depth: Int, objects: Bool) -> Input {
        let (open, close) = objects ? (#"{"x":"#, "}") : ("[", "]")
        return Input(#"{"x":"# + String(repeating: open, count: depth - 1) + "1" + String(repeating: close, count: depth - 1) + "}")
    }

    // MARK: - What StrictJSON keeps: JSONDecoder alone accepts each of these

    static let trailingCommas: [Input] = [
        Input(#"{"amount":1,}"#), Input(#"{"amount":1 , "note":"a" ,  }"#), Input(#"{"ids":["a","b",]}"#),
        Input(#"{"amount":1,"x":[1,]}"#), Input(#"{"amount":1,"x":{"a":1,}}"#), Input("{\"amount\":1,\"x\":[[1],\n]}"),
    ]

    @Test(arguments: trailingCommas)
    func aTrailingCommaIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the trailing-comma check")
    }

    /// Raw U+0000–U+001F, in a string JSONDecoder never decodes: an unread value, a key of an unread object.
    static let rawControlCharacters: [Input] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F].flatMap { byte in
        [Input(#"{"amount":1,"x":"a"#, [byte], #"b"}"#), Input(#"{"amount":1,"x":{"a"#, [byte], #"":1}}"#)]
    }

    @Test(arguments: rawControlCharacters)
    func aRawControlCharacterInAStringIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the control-character check")
    }

    static let invalidUTF8: [Input] = [
        [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],
        [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
    ].flatMap { bytes in
        [Input(#"{"amount":1,"x":"a"#, bytes, #"b"}"#), Input(#"{"amount":1,"x":{""#, bytes, #"":1}}"#)]
    }

    @Test(arguments: invalidUTF8)
    func invalidUTF8InAStringIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the UTF-8 check")
    }

    static let invalidEscapes: [Input] = [
        #"\x41"#, #"\'"#, #"\a"#, #"\0"#, #"\U0041"#, #"\uZZZZ"#, #"\u12G4"#, #"\ "#, "\\\n",
    ].flatMap { escape in
        [Input(#"{"amount":1,"x":""# + escape + #""}"#), Input(#"{"amount":1,"x":{""# + escape + #"":1}}"#)]
    }

    @Test(arguments: invalidEscapes)
    func anInvalidEscapeIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the escape check")
    }

    static let unpairedSurrogates: [Input] = [
        #"\ud800"#, #"\uDBFF"#, #"\udc00"#, #"\ud800\u0041"#, #"\ud800\ud800"#, #"\udc00\ud800"#, #"\ud800x"#, #"\ud800\n"#,
    ].flatMap { escape in
        [Input(#"{"amount":1,"x":""# + escape + #""}"#), Input(#"{"amount":1,"x":{""# + escape + #"":1}}"#)]
    }

    @Test(arguments: unpairedSurrogates)
    func anUnpairedSurrogateIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the surrogate check")
    }

    /// Foundation checks only the first byte of a number it does not decode.
    static let offGrammarNumbers: [Input] = [
        "012", "-012", "00", "01.5", "1.", "0.", "-.5", "1e", "1e+", "1E-", "-", "--1", "1.2.3", "1e5e5", "1ee5", "1.5e3.5", "1-2", "1+2",
    ].flatMap { number in
        [Input(#"{"amount":1,"x":"# + number + "}"), Input(#"{"amount":1,"x":[0,"# + number + "]}")]
    }

    @Test(arguments: offGrammarNumbers)
    func anOffGrammarNumberIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the number check")
    }

    /// A byte-order mark, UTF-16 and UTF-32: JSONDecoder sniffs the first four bytes and transcodes.
    static let otherEncodings: [Input] = {
        let units = Array(#"{"amount":1}"#.utf16)
        let le = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        return [
            Input([0xEF, 0xBB, 0xBF] + Array(#"{"amount":1}"#.utf8)), Input([0xFF, 0xFE] + le), Input([0xFE, 0xFF] + be),
            Input(le), Input(be), Input(units.flatMap { [UInt8($0), 0, 0, 0] }), Input(units.flatMap { [0, 0, 0, UInt8($0)] }),
        ]
    }()

    @Test(arguments: otherEncodings)
    func aByteOrderMarkOrAnEncodingOtherThanUTF8IsRefused(_ input: Input) throws {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(try Self.decode(input).amount == 1, "JSONDecoder refuses it now: drop the encoding check")
    }

    @Test(arguments: [Input([0x37, 0x00]), Input([0x00, 0x37]), Input([0x37, 0x00, 0x00, 0x00])])
    func aLoneDigitInUTF16OrUTF32IsRefused(_ input: Input) throws {
        #expect(!StrictJSON.isValid(input.bytes))
        // JSONDecoder reads 7: for a route's object that would be a type mismatch, not json_invalid.
        #expect(try Self.decode(input, as: Decimal.self) == 7, "JSONDecoder refuses it now: drop the encoding check")
    }

    static let tooDeep: [Input] = [65, 100, 512].flatMap { [nested($0, objects: false), nested($0, objects: true)] }

    @Test(arguments: tooDeep)
    func nestingDeeperThanTheLimitIsRefused(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationAccepts(input), "JSONDecoder refuses it now: drop the depth limit")
    }

    // MARK: - What StrictJSON leaves to Foundation: JSONDecoder refuses each as json_invalid

    static let leftToFoundation: [Input] = [
        // structure, in what a route reads and in what it does not
        #"{"amount":1 "note":"a"}"#, #"{"amount" 1}"#, #"{"amount":}"#, #"{1:2}"#, #"{null:1}"#, #"{"amount":1]"#, #"{"amount":1"#,
        #"{"note":"abc"#, #"{"amount":1,,"note":"a"}"#, #"{,"amount":1}"#, #"{,}"#, #"[,"a"]"#, #"["a",,"b"]"#, #"{"amount":1,"x":[1,2,}"#,
        #"{"amount":1,"x":[1 2]}"#, #"{"amount":1,"x":{"a"}}"#, #"{"amount":1,"x":{"a":}}"#, #"{"amount":1,"x":{]}"#, #"{"amount":1,"x":}"#,
        // literals, and values that start with what no JSON value starts with
        #"{"amount":1,"x":tru}"#, #"{"amount":1,"x":True}"#, #"{"amount":1,"x":nul}"#, #"{"amount":1,"x":falsey}"#, #"{"amount":1,"x":truex}"#,
        #"{"amount":1,"x":+1}"#, #"{"amount":1,"x":.5}"#, #"{"amount":1,"x":0x10}"#, #"{"amount":1,"x":1_000}"#, #"{"amount":1,"x":12a}"#,
        #"{"amount":1,"x":NaN}"#, #"{"amount":1,"x":Infinity}"#, #"{"amount":1,"x":-Infinity}"#,
        // JSON5 and other dialects
        #"{'amount':1}"#, #"{"amount":1,"x":'a'}"#, #"{amount:1}"#, #"{"amount":1,x:1}"#, #"{"amount":1 /* c */}"#, "{\"amount\":1 // c\n}",
        #"{"amount":1} // c"#, "# c\n{}",
        // after the top-level value
        #"{} x"#, #"{}{}"#, #"{}}"#, #"{}]"#, #"{"amount":1},"#, #"{} 1"#,
        // empty
        "", " ", "\n",
    ].map(Input.init) + [
        // whitespace other than space, tab, LF and CR; a BOM that does not start the body; a NUL past the first four bytes
        [0x0C], [0x0B], [0xC2, 0xA0], [0xE2, 0x80, 0xA8], [0xE3, 0x80, 0x80], [0xC2, 0x85], [0xEF, 0xBB, 0xBF], [0x00],
    ].flatMap { bytes in
        [Input(#"{"amount":"#, bytes, "1}"), Input(#"{"amount":1}"#, bytes, "")]
    } + [Input(" ", [0xEF, 0xBB, 0xBF], "{}"), Input("{}", [0x00], "")]
      + [513, 1_000, 100_000].flatMap { [nested($0, objects: false), nested($0, objects: true)] }
      + [Input(String(repeating: "[", count: 100_000))]

    @Test(arguments: leftToFoundation)
    func foundationRefusesWhatStrictJSONLeavesToIt(_ input: Input) {
        #expect(Self.foundationRefusesAsInvalidJSON(input), "JSONDecoder lets it through now: StrictJSON must check it again")
    }

    /// What JSONDecoder checks in a string or number a route reads: the same refusal, so StrictJSON's
    /// checks of every string and number cost a route nothing in answers.
    static let readButInvalid: [Input] = [
        Input(#"{"note":"a"#, [0x01], #""}"#), Input(#"{"note":"a"#, [0xFF], #""}"#), Input(#"{"note":"\x41"}"#), Input(#"{"note":"\ud800"}"#),
        Input(#"{"ids":["a","\udc00"]}"#), Input(#"{"amount":1,""#, [0xC0, 0xAF], #"":1}"#), Input(#"{"amount":012}"#), Input(#"{"amount":1.}"#),
        Input(#"{"amount":-.5}"#),
    ]

    @Test(arguments: readButInvalid)
    func whatARouteReadsFoundationChecksTheSameWay(_ input: Input) {
        #expect(!StrictJSON.isValid(input.bytes))
        #expect(Self.foundationRefusesAsInvalidJSON(input))
    }

    // MARK: - Valid JSON passes

    static let valid: [Input] = [
        "{}", "[]", "true", "false", "null", #""s""#, "0", "-0", "-1.5e-3", " \t\r\n{\"amount\" : 1.5 , \"note\" : \"a\" }\t\r\n ",
        #"{"amount":0.5e-7}"#, #"{"amount":1E+5}"#, #"{"amount":-12.25E3}"#, #"{"amount":10e0}"#, #"{"amount":123456789012345678901234567890}"#,
        #"{"x":{"y":[1,[2,{"z":null}],true,false,-0.0]},"ids":["a","b"],"note":""}"#, #"{"x":[[],{},[[]],{"a":{}},[1,[]]]}"#,
        #"{"note":"\" \\ \/ \b \f \n \r \t \u0000 \u00e9 \u20AC \uFFFF"}"#, #"{"note":"\ud83d\ude00"}"#, #"{"note":"x\uD83D\uDE00x"}"#,
        #"{"note":"\uDBFF\uDFFF\ud800\udc00"}"#,
        "{\"note\":\"héllo 😀 日本語 \u{7F} \u{2028} 👨‍👩‍👧‍👦\",\"ключ\":\"значение\"}",
        #"{"note":",]"}"#, #"{"note":",}","x":[",]"]}"#, #"{"note":"\\"}"#, #"{"note":"\\\",}"}"#, #"{"note":"[[[[{{{{"}"#,
        #"{"note":""# + String(repeating: "[", count: 100) + #""}"#, #"{"x":"-.5 012 1e"}"#,
    ].map(Input.init) + [nested(64, objects: false), nested(64, objects: true)]

    @Test(arguments: valid)
    func validJSONPasses(_ input: Input) {
        #expect(StrictJSON.isValid(input.bytes))
    }

    @Test func validBodiesDecodeAsRoutesReadThem() throws {
        let input = Input(#"{"amount":-12.25E3,"note":"h\u00e9 \ud83d\ude00 \"q\"","ids":["a","日本"],"x":{"y":[[],{}]}}"#)
        #expect(StrictJSON.isValid(input.bytes))
        let body = try Self.decode(input)
        #expect(body.amount == Decimal(string: "-12250"))
        #expect(body.note == "hé 😀 \"q\"")
        #expect(body.ids == ["a", "日本"])
    }
}
