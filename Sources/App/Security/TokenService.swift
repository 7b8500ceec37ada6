import Crypto
import Foundation
import Hummingbird
import JWTKit

/// The claims of our HS256 tokens. `username`, `type`, `iat` and `exp` are what the old client
/// reads; `sub`, `sid` and `jti` name the user, the device session and the token itself.
struct TokenClaims: JWTPayload, Equatable {
    enum Kind: String, Codable, Sendable {
        case access, refresh
    }

    var sub: String
    var username: String
    var sid: String
    var jti: String
    var type: Kind
    /// Whole seconds since the epoch.
    var iat: Int64
    var exp: Int64

    /// Expiry is checked by `TokenService.verify`, against the service's clock, because an
    /// expired token gets a different answer than a forged one.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

struct TokenPair: ResponseCodable, Sendable, Equatable {
    var access: String
    var refresh: String
}

/// Why a token was refused, before any revocation check.
enum TokenRejection: Error, Equatable {
    case unreadable
    case expired
    case wrongType
}

/// Signs and verifies the token pairs.
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let verified = VerifiedTokens()
    let accessTTL: Int64
    let refreshTTL: Int64

    init(signingKey: SymmetricKey, accessTTL: Int, refreshTTL: Int) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: signingKey), digestAlgorithm: .sha256)
        self.keys = keys
        self.accessTTL = Int64(accessTTL)
        self.refreshTTL = Int64(refreshTTL)
    }

    /// A new pair for the session; `refreshId` is the id the session must see next.
    func issuePair(userId: String, username: String, sessionId: String, refreshId: String, now: Int64) async throws -> TokenPair {
        let access = TokenClaims(
            sub: userId, username: username, sid: sessionId, jti: UUID().uuidString.lowercased(),
            type: .access, iat: now, exp: now + accessTTL)
        let refresh = TokenClaims(
            sub: userId, username: username, sid: sessionId, jti: refreshId,
            type: .refresh, iat: now, exp: now + refreshTTL)
        return TokenPair(access: try await keys.sign(access), refresh: try await keys.sign(refresh))
    }

    /// The claims of a genuine, unexpired token of the given type.
    func verify(_ token: String, as kind: TokenClaims.Kind, now: Int64) async throws(TokenRejection) -> TokenClaims {
        let claims: TokenClaims
        if let known = verified.claims(for: token) {
            claims = known
        } else {
            // jwt-kit picks the key by `kid` and does not hold the header's `alg` to it, so a
            // token naming `none` or another algorithm over a valid HS256 signature would pass.
            guard Self.namesHS256(token) else { throw .unreadable }
            do {
                claims = try await keys.verify(token, as: TokenClaims.self)
            } catch {
                throw .unreadable
            }
            verified.remember(token, claims)
        }
        guard claims.type == kind else { throw .wrongType }
        guard now < claims.exp else { throw .expired }
        return claims
    }

    private struct Header: Decodable {
        var alg: String
        var typ: String?
        var crit: [String]?
    }

    /// Whether the token's header says HS256 (and JWT, if it says a type), with no critical extension.
    static func namesHS256(_ token: String) -> Bool {
        guard let end = token.firstIndex(of: "."), let json = Base64URL.decode(token[..<end]),
            let header = try? JSONDecoder().decode(Header.self, from: json)
        else { return false }
        return header.alg == "HS256" && (header.typ == nil || header.typ == "JWT") && header.crit == nil
    }
}

/// Unpadded base64url (RFC 4648 §5), as JWT segments are written.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
