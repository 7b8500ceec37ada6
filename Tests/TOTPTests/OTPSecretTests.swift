import Testing
import TOTP

struct OTPSecretTests {
    @Test func twentyBytesByDefault() {
        #expect(OTPSecret.generate().count == 20)
    }

    @Test(arguments: [1, 10, 32, 64])
    func requestedLength(_ count: Int) {
        #expect(OTPSecret.generate(byteCount: count).count == count)
    }

    @Test func twoSecretsDiffer() {
        #expect(OTPSecret.generate() != OTPSecret.generate())
    }

    @Test func base32OfTwentyBytesIs32Characters() {
        let text = Base32.encode(OTPSecret.generate())
        #expect(text.count == 32)
        #expect(!text.contains("="))
    }

    @Test func aGeneratedSecretWorksEndToEnd() throws {
        let secret = OTPSecret.generate()
        let decoded = try #require(Base32.decode(Base32.encode(secret)))
        let totp = try TOTP(secret: decoded)
        let now: Int64 = 1_700_000_000
        #expect(totp.matchingStep(for: totp.code(at: now), at: now) == totp.step(at: now))
    }

    @Test func bytesAreNotStuck() {
        // 64 draws of 20 bytes: every byte position taking a single value would mean a broken generator.
        let draws = (0..<64).map { _ in OTPSecret.generate() }
        for position in 0..<20 {
            #expect(Set(draws.map { $0[position] }).count > 1)
        }
    }
}
