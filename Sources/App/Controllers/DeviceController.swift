import Hummingbird
import Storage

/// The caller's own sign-in: their token (/user/decode) and devices (list, sign one out, sign
/// out everywhere, sign out this one).
struct DeviceController {
    let sessions: SessionStore
    let clock: ServiceClock

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .get("decode", use: decode)
            .get("devices", use: list)
            .patch("devices/:id", use: rename)
            .delete("devices/:id", use: signOut)
            .delete("devices", use: signOutEverywhere)
            .post("logout", use: logout)
    }

    @Sendable func decode(_ request: Request, context: AuthenticatedContext) async throws -> DecodedTokenOutput {
        let claims = context.identity.claims
        return DecodedTokenOutput(username: context.identity.username, exp: claims.exp, iat: claims.iat, type: claims.type.rawValue)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [DeviceOutput] {
        try await sessions.activeSessions(userId: context.identity.userId).map { Self.output($0, for: context.identity) }
    }

    /// A name the person chose ("Maria's phone"), so that two phones of the same make differ.
    @Sendable func rename(_ request: Request, context: AuthenticatedContext) async throws -> DeviceOutput {
        let id = try context.parameters.require("id")
        let input = try await request.decodeJSON(DeviceRename.self, context: context)
        let name = try Validate.name(input.name)
        guard let session = try await sessions.rename(sessionId: id.lowercased(), userId: context.identity.userId, to: name)
        else { throw APIError.deviceNotFound }
        return Self.output(session, for: context.identity)
    }

    private static func output(_ session: DeviceSessionRecord, for identity: Identity) -> DeviceOutput {
        DeviceOutput(
            id: session.id, name: session.name, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt,
            current: session.id == identity.sessionId)
    }

    @Sendable func signOut(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id")
        guard try await sessions.revoke(sessionId: id.lowercased(), userId: context.identity.userId, now: clock.millis)
        else { throw APIError.deviceNotFound }
        return .noContent
    }

    /// Every session of the user, this one included, and every token issued until now.
    @Sendable func signOutEverywhere(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        try await sessions.revokeAll(
            // Every session is revoked, so tokens of this very second are refused already; a "not
            // before" of the next second would also refuse a sign-in made right after this one.
            userId: context.identity.userId, keeping: nil, notBefore: clock.seconds, now: clock.millis)
        return .noContent
    }

    @Sendable func logout(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        _ = try await sessions.revoke(sessionId: context.identity.sessionId, userId: context.identity.userId, now: clock.millis)
        return .noContent
    }
}
