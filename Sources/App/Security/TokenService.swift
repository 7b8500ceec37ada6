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
}
