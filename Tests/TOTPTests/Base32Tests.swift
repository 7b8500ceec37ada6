import Testing
import TOTP

struct Base32Tests {
    /// RFC 4648 section 10.
    static let vectors: [(String, String)] = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ]

    @Test("RFC 4648 vectors, padded", arguments: vectors)
    func padded(_ plain: String, _ encoded: String) {
        #expect(Base32.encode(Array(plain.utf8), padding: true) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
    }

    @Test("RFC 4648 vectors, unpadded", arguments: vectors)
    func unpadded(_ plain: String, _ encoded: String) {
        let bare = encoded.filter { $0 != "=" }
        #expect(Base32.encode(Array(plain.utf8)) == bare)
        #expect(Base32.decode(bare) == Array(plain.utf8))
    }

    @Test("lowercase and mixed case", arguments: vectors)
    func caseInsensitive(_ plain: String, _ encoded: String) {
        #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
        #expect(Base32.decode(encoded.lowercased().filter { $0 != "=" }) == Array(plain.utf8))
    }

    @Test func mixedCase() {
        #expect(Base32.decode("mZxW6yTbOi") == Array("foobar".utf8))
    }

    @Test("spaces and hyphens are group separators", arguments: [
        "MZXW 6YTB OI", "mzxw-6ytb-oi", " MZXW6YTBOI ", "MZXW6YTBOI ======", "MZ-XW 6Y--TB  OI", "MZXW6YTBOI== ====",
    ])
    func separatorsAreIgnored(_ text: String) {
        #expect(Base32.decode(text) == Array("foobar".utf8))
    }

    @Test func separatorsOnly() {
        #expect(Base32.decode(" - ") == [])
    }

    @Test("junk is rejected", arguments: [
        "1", "0", "8", "9", "!", "MZ=XQ", "MZXQ====A", "=", "====", "========", "MY=======", "MY=====",
        "MZXQ===", "MZXQ=====", "MZXW6YQ==", "MZXW6YTB=", "MZXW6YTB========",
        "MZXW6YT\t", "MZXW6YT\n", "MZXW6YT_", "MZXW6YT.", "MZXW6YT+", "MZXW6YT/", "ＭＹ", "MYé", "MZXQ\u{0}",
    ])
    func rejectsJunk(_ text: String) {
        #expect(Base32.decode(text) == nil)
    }

    @Test("impossible lengths are rejected", arguments: [1, 3, 6, 9, 11, 14])
    func rejectsImpossibleLengths(_ length: Int) {
        let text = String(repeating: "A", count: length)
        #expect(Base32.decode(text) == nil)
        #expect(Base32.decode(text + String(repeating: "=", count: (8 - length % 8) % 8)) == nil)
    }

    @Test func acceptsNonZeroTrailingBits() {
        // "MZ" carries 10 bits, of which only 8 are data; "M7" sets the two leftover bits.
        #expect(Base32.decode("MZ") == [0x66])
        #expect(Base32.decode("M7") == [0x67])
    }

    @Test func allAlphabetCharactersDecode() {
        #expect(Base32.decode("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != nil)
        #expect(Base32.encode([0xff, 0xff, 0xff, 0xff, 0xff]) == "77777777")
        #expect(Base32.encode([0, 0, 0, 0, 0]) == "AAAAAAAA")
    }

    @Test("random round trips", arguments: 0...40)
    func roundTrip(_ length: Int) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let unpadded = Base32.encode(bytes)
            let padded = Base32.encode(bytes, padding: true)
            #expect(unpadded.count == (length * 8 + 4) / 5)
            #expect(padded.count % 8 == 0)
            #expect(Base32.decode(unpadded) == bytes)
            #expect(Base32.decode(padded) == bytes)
            #expect(Base32.decode(unpadded.lowercased()) == bytes)
        }
    }
}
