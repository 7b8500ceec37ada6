import Hummingbird
import Storage

/// Turns the Authorization header into an `Identity`, with the contract's exact answers.
struct Authenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService
    let sessions: LiveSessions
    let directory: MemberDirectory
    let activity: SessionActivity
    let clock: ServiceClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let identity = try await identify(request)
        context.identity = identity
        await activity.seen(sessionId: identity.sessionId, now: clock.millis)
        return try await next(request, context)
    }

    func identify(_ request: Request) async throws -> Identity {
        guard let header = request.headers[.authorization] else { throw APIError.notAuthenticated }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.invalidCredentials }
        // Trimmed with the standard library: Foundation's trimmingCharacters goes through
        // NSString and UTF-16 on Linux and cost most of a cached answer's time.
        var token = parts[1]
        while let first = token.first, first == " " || first == "\t" { token.removeFirst() }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        let claims: TokenClaims
        do {
            claims = try await tokens.verify(String(token), as: .access, now: clock.seconds)
        } catch {
            throw error == .expired ? APIError.authorizationExpired : APIError.invalidToken
        }
        guard sessions.admits(userId: claims.sub, sessionId: claims.sid, issuedAt: claims.iat),
            let member = directory.member(id: claims.sub)
        else { throw APIError.tokenBlacklisted }
        return Identity(
            userId: member.id, username: member.username, sessionId: claims.sid,
            householdId: member.householdId, role: member.role, claims: claims)
    }
}
