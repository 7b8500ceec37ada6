import Foundation
import Testing
import TOTP

struct OTPAuthURITests {
    @Test func plain() {
        #expect(OTPAuthURI.totp(secretBase32: "JBSWY3DPEHPK3PXP", account: "alice")
            == "otpauth://totp/STracker:alice?secret=JBSWY3DPEHPK3PXP&issuer=STracker&algorithm=SHA1&digits=6&period=30")
    }

    @Test func otherParameters() {
        #expect(OTPAuthURI.totp(secretBase32: "JBSWY3DPEHPK3PXP", account: "bob", issuer: "Acme Co",
                                algorithm: .sha256, digits: 8, period: 60)
            == "otpauth://totp/Acme%20Co:bob?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Co&algorithm=SHA256&digits=8&period=60")
    }

    @Test func emptyIssuerIsLeftOut() {
        #expect(OTPAuthURI.totp(secretBase32: "JBSWY3DPEHPK3PXP", account: "alice", issuer: "")
            == "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30")
    }

    @Test("usernames are escaped", arguments: [
        ("alice smith", "alice%20smith"),
        ("a:b", "a%3Ab"),
        ("R&D", "R%26D"),
        ("a/b?c#d=e+f", "a%2Fb%3Fc%23d%3De%2Bf"),
        ("Zoë", "Zo%C3%AB"),
        ("Анна", "%D0%90%D0%BD%D0%BD%D0%B0"),
        ("👩‍👧", "%F0%9F%91%A9%E2%80%8D%F0%9F%91%A7"),
        ("a-b.c_d~e", "a-b.c_d~e"),
        ("100%", "100%25"),
        ("x@y.z", "x%40y.z"),
    ])
    func escapedUsernames(_ account: String, _ escaped: String) {
        #expect(OTPAuthURI.totp(secretBase32: "JBSWY3DPEHPK3PXP", account: account)
            == "otpauth://totp/STracker:\(escaped)?secret=JBSWY3DPEHPK3PXP&issuer=STracker&algorithm=SHA1&digits=6&period=30")
    }

    @Test func awkwardIssuer() {
        #expect(OTPAuthURI.totp(secretBase32: "ABC", account: "a b", issuer: "Me & You: Ltd")
            == "otpauth://totp/Me%20%26%20You%3A%20Ltd:a%20b?secret=ABC&issuer=Me%20%26%20You%3A%20Ltd&algorithm=SHA1&digits=6&period=30")
    }

    @Test("URLComponents reads it back", arguments: [
        ("alice", "STracker"), ("alice smith", "STracker"), ("Zoë: R&D/ops", "STracker"),
        ("a+b=c?d#e", "Me & You"), ("Анна", "Семья"),
    ])
    func urlComponentsRoundTrip(_ account: String, _ issuer: String) throws {
        let secret = Base32.encode(OTPSecret.generate())
        let uri = OTPAuthURI.totp(secretBase32: secret, account: account, issuer: issuer)
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/\(issuer):\(account)")
        let items = try #require(components.queryItems)
        func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
        #expect(value("secret") == secret)
        #expect(value("issuer") == issuer)
        #expect(value("algorithm") == "SHA1")
        #expect(value("digits") == "6")
        #expect(value("period") == "30")
        #expect(items.count == 5)
        #expect(Base32.decode(try #require(value("secret"))) != nil)
    }
}
