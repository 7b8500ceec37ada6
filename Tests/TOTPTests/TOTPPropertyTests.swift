import SeededRandom
import Testing

@testable import TOTP

extension SeededGenerator {
    mutating func bytes(upTo count: Int) -> [UInt8] {
        (0..<Int.random(in: 0...count, using: &self)).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    /// Text mixing Base32 letters, digits, separators, padding, lowercase, other ASCII and
    /// non-ASCII (Arabic-Indic and fullwidth digits, combining marks, emoji).
    mutating func text(upTo count: Int) -> String {
        let pieces: [String] = [
            "A", "Z", "M", "2", "7", "0", "1", "8", "9", "a", "z", "=", " ", "-", "\t", "\n", "+", "/", ".", "\u{0}",
            "٣", "９", "é", "e\u{301}", "🍕", "\u{FEFF}", "O", "I", "L",
        ]
        return String((0..<Int.random(in: 0...count, using: &self)).map { _ in pieces.randomElement(using: &self)! }.joined())
    }
}

@Suite struct Base32PropertyTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyByteStringRoundTrips(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<2_000 {
            let bytes = random.bytes(upTo: 64)
            for padding in [false, true] {
                let text = Base32.encode(bytes, padding: padding)
                #expect(text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains($0) || $0 == UInt8(ascii: "=") })
                #expect(Base32.decode(text) == bytes, "\(bytes)")
                #expect(Base32.decode(text.lowercased()) == bytes)
            }
        }
    }

    @Test(arguments: [4, 5, 6] as [UInt64])
    func arbitraryTextNeverCrashesAndNeverDecodesGarbage(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<5_000 {
            let text = random.text(upTo: 40)
            guard let decoded = Base32.decode(text) else { continue }
            // Whatever decodes is Base32 letters, digits 2-7, grouping and trailing padding only,
            // and re-encodes to the same letters.
            let letters = text.uppercased().filter { $0 != " " && $0 != "-" && $0 != "=" }
            #expect(letters.allSatisfy { ("A"..."Z").contains($0) || ("2"..."7").contains($0) }, "\(text.debugDescription)")
            #expect(Base32.decode(Base32.encode(decoded)) == decoded)
            #expect(Base32.encode(decoded).count <= letters.count)
        }
    }
}

@Suite struct TOTPPropertyTests {
    @Test(arguments: [7, 8] as [UInt64])
    func aCodeIsSixASCIIDigitsAndMatchesItsOwnStep(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<1_000 {
            let secret = (0..<Int.random(in: 16...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let totp = try TOTP(secret: secret)
            let now = Int64.random(in: 0...4_102_444_800, using: &random)  // up to 2100
            let code = totp.code(at: now)
            #expect(code.utf8.count == 6 && code.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            #expect(totp.matchingStep(for: code, at: now) == totp.step(at: now))
            // The neighbouring steps' codes are accepted (±1), as the step they belong to.
            #expect(totp.matchingStep(for: totp.code(step: totp.step(at: now) + 1), at: now) != nil)
        }
    }

    @Test(arguments: [9, 10] as [UInt64])
    func noCandidateOfAnotherShapeIsEverAccepted(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let totp = try TOTP(secret: Array("12345678901234567890".utf8))
        for _ in 0..<5_000 {
            let candidate = random.text(upTo: 9)
            let now = Int64.random(in: 0...4_102_444_800, using: &random)
            let step = totp.matchingStep(for: candidate, at: now)
            if step != nil {
                #expect(candidate.utf8.count == 6 && candidate.allSatisfy { $0.isASCII && $0.isNumber }, "\(candidate.debugDescription)")
            }
        }
        // Digits that are not ASCII never pass, even when they spell the right code.
        let now: Int64 = 1_700_000_000
        let code = totp.code(at: now)
        let arabicIndic = String(code.unicodeScalars.map { Character(Unicode.Scalar(0x0660 + $0.value - 48)!) })
        let fullwidth = String(code.unicodeScalars.map { Character(Unicode.Scalar(0xFF10 + $0.value - 48)!) })
        #expect(totp.matchingStep(for: arabicIndic, at: now) == nil)
        #expect(totp.matchingStep(for: fullwidth, at: now) == nil)
        #expect(totp.matchingStep(for: " " + code, at: now) == nil)
    }
}
