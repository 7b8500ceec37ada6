import Synchronization

/// Tokens whose signature was already checked, with their claims: an HMAC and two JSON parses
/// per request cost as much as the rest of a cached answer. Only a token string that verified
/// is ever remembered, so a hit proves the same as a verification; expiry and revocation are
/// still checked on every request by the caller.
final class VerifiedTokens: Sendable {
    private let claims = Mutex<[String: TokenClaims]>([:])
    let capacity: Int

    /// A household has a few dozen live tokens; every refresh mints new ones, so the bound, not
    /// the working set, decides the memory (about 600 bytes an entry: well under 1 MB).
    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    var count: Int { claims.withLock { $0.count } }

    func claims(for token: String) -> TokenClaims? {
        claims.withLock { $0[token] }
    }

    func remember(_ token: String, _ value: TokenClaims) {
        claims.withLock { claims in
            // Forgetting everything at once keeps the bound without bookkeeping; a forgotten
            // token is merely verified again.
            if claims.count >= capacity { claims.removeAll(keepingCapacity: true) }
            claims[token] = value
        }
    }
}
