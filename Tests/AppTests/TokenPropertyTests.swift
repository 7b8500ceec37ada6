import Crypto
import Foundation
import SeededRandom
import Testing

@testable import App

/// Hostile tokens against TokenService itself: every mutation of a genuine token, and every
/// token signed with a key of the wrong length or content, is refused, and nothing crashes.
@Suite struct TokenPropertyTests {
    static let now: Int64 = 1_758_362_400

    func service(_ key: String = String(repeating: "s", count: 32)) async -> TokenService {
        await TokenService(signingKey: SymmetricKey(data: Data(key.utf8)), accessTTL: 1800, refreshTTL: 604_800)
    }

    @Test(arguments: [1, 2] as [UInt64])
    func noMutationOfAGenuineTokenVerifies(seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        let tokens = await service()
        let pair = try await tokens.issuePair(userId: "u1", username: "alice", sessionId: "s1", refreshId: "r1", now: Self.now)
        let genuine = Array(pair.access.utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".utf8)
        for _ in 0..<1_500 {
            var bytes = genuine
            switch Int.random(in: 0..<3, using: &random) {
            case 0:  // replace one character
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = alphabet.randomElement(using: &random)!
            case 1:  // drop a run
                let start = Int.random(in: 0..<bytes.count, using: &random)
                bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...8, using: &random)))
            default:  // insert junk
                bytes.insert(contentsOf: (0..<Int.random(in: 1...4, using: &random)).map { _ in alphabet.randomElement(using: &random)! },
                    at: Int.random(in: 0...bytes.count, using: &random))
            }
            let token = String(decoding: bytes, as: UTF8.self)
            let claims = try? await tokens.verify(token, as: .access, now: Self.now)
            if let claims {
                // Base64url has spare bits in a segment's last character: a change there can
                // decode to the same bytes. Such a token says exactly what the genuine one says.
                #expect(claims == (try await tokens.verify(pair.access, as: .access, now: Self.now)), "\(token)")
            }
        }
    }

    @Test func tokensOfOtherKeysOrOtherTypesAreRefused() async throws {
        let tokens = await service()
        // jwt-kit asserts keys of at least 32 bytes (the settings refuse shorter ones too).
        for key in [String(repeating: "t", count: 32), String(repeating: "s", count: 33), String(repeating: "s", count: 31) + "S", String(repeating: "s", count: 64)] {
            let other = await service(key)
            let pair = try await other.issuePair(userId: "u1", username: "alice", sessionId: "s1", refreshId: "r1", now: Self.now)
            await #expect(throws: TokenRejection.unreadable) { try await tokens.verify(pair.access, as: .access, now: Self.now) }
        }
        let pair = try await tokens.issuePair(userId: "u1", username: "alice", sessionId: "s1", refreshId: "r1", now: Self.now)
        await #expect(throws: TokenRejection.wrongType) { try await tokens.verify(pair.refresh, as: .access, now: Self.now) }
        await #expect(throws: TokenRejection.expired) { try await tokens.verify(pair.access, as: .access, now: Self.now + 1800) }
    }

    @Test func aPayloadMissingAClaimIsRefused() async throws {
        let secret = String(repeating: "s", count: 32)
        let tokens = await service(secret)
        let complete: [String: Any] = [
            "sub": "u1", "username": "alice", "sid": "s1", "jti": "j1", "type": "access", "iat": Self.now, "exp": Self.now + 60,
        ]
        func signed(_ payload: [String: Any]) -> String {
            let input = base64URLEncode(["alg": "HS256", "typ": "JWT"]) + "." + base64URLEncode(payload)
            let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            return input + "." + Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        #expect(try await tokens.verify(signed(complete), as: .access, now: Self.now).sub == "u1")
        for claim in complete.keys.sorted() {
            var payload = complete
            payload[claim] = nil
            await #expect(throws: TokenRejection.self, "without \(claim)") { try await tokens.verify(signed(payload), as: .access, now: Self.now) }
        }
        var wrongType = complete
        wrongType["type"] = "admin"
        await #expect(throws: TokenRejection.self) { try await tokens.verify(signed(wrongType), as: .access, now: Self.now) }
    }

    /// Base64URL's encoding, used for enrolment tickets, reads back through the decoding the
    /// token check uses, at every length of a 3-byte group, and never writes +, / or =.
    @Test func base64URLRoundTrips() {
        for length in 0..<40 {
            let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 * 97 + 251) })
            let text = Base64URL.encode(data)
            #expect(!text.contains(where: { "+/=".contains($0) }), "\(text)")
            #expect(Base64URL.decode(Substring(text)) == data, "length \(length)")
        }
    }
}
