import Testing
@testable import QRCode

@Test("zbarimg is installed wherever STRACKER_REQUIRE_ZBAR=1")
func zbarPresentWhenRequired() {
    #expect(!ZBar.isRequired || ZBar.isAvailable, "STRACKER_REQUIRE_ZBAR=1 but no executable zbarimg on PATH")
}

/// Round trips through an independent decoder: what zbarimg reads must be the input.
// One zbarimg at a time: a CI run crashed (SIGSEGV) in the unit tests while several of these
// were launching processes through Foundation's Process in parallel, and a decoder run costs
// milliseconds, so running them serially costs nothing worth a doubt.
@Suite("Decoding with zbarimg", .needsZBar, .serialized)
struct DecodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let minimumVersion: Int
        var testDescription: String { "\(name) (\(text.utf8.count) bytes)" }
    }

    static let cases: [Case] = [
        Case(name: "short", text: "https://x.io", minimumVersion: 1),
        Case(name: "otpauth", text: Fixtures.otpauth, minimumVersion: 1),
        Case(name: "percent-escapes and UTF-8 label",
             text: "otpauth://totp/Str%C3%B6me%20%26%20Co:Zo%C3%AB%20M%C3%BCller?secret=JBSWY3DPEHPK3PXP&issuer=Str%C3%B6me%20%26%20Co",
             minimumVersion: 1),
        Case(name: "raw non-ASCII label",
             text: "otpauth://totp/STracker:Zoë%20Müller?secret=JBSWY3DPEHPK3PXP&issuer=Haushaltsbuch%20Müller",
             minimumVersion: 1),
        Case(name: "CJK and emoji label",
             text: "otpauth://totp/家計簿:たろう💶?secret=JBSWY3DPEHPK3PXP&issuer=家計簿",
             minimumVersion: 1),
        Case(name: "version 7 or more", text: Fixtures.uri(length: 150), minimumVersion: 7),
        Case(name: "version 10 or more", text: Fixtures.uri(length: 260), minimumVersion: 10),
        Case(name: "above version 20", text: Fixtures.uri(length: 800), minimumVersion: 21),
        Case(name: "version 40, full", text: Fixtures.uri(length: 2331), minimumVersion: 40),
    ]

    @Test("URIs of every size decode to themselves", arguments: cases)
    func roundTrip(_ testCase: Case) throws {
        let code = try QRCode(text: testCase.text)
        #expect(code.version >= testCase.minimumVersion)
        let decoded = try ZBar.decode(code)
        #expect(decoded == Array(testCase.text.utf8), "read \(String(decoding: decoded, as: UTF8.self))")
    }

    @Test("every mask decodes", arguments: MaskPattern.all)
    func everyMask(mask: Int) throws {
        for text in [Fixtures.otpauth, Fixtures.uri(length: 300)] {
            let code = try QRCode(bytes: Array(text.utf8), errorCorrection: .medium, forcedMask: mask)
            #expect(code.mask == mask)
            let decoded = try ZBar.decode(code)
            #expect(decoded == Array(text.utf8), "version \(code.version) read \(String(decoding: decoded, as: UTF8.self))")
        }
    }

    @Test("every error correction level decodes", arguments: QRErrorCorrection.allCases)
    func everyLevel(level: QRErrorCorrection) throws {
        for text in [Fixtures.otpauth, Fixtures.uri(length: 400)] {
            let code = try QRCode(text: text, errorCorrection: level)
            let decoded = try ZBar.decode(code)
            #expect(decoded == Array(text.utf8), "version \(code.version) read \(String(decoding: decoded, as: UTF8.self))")
        }
    }
}
