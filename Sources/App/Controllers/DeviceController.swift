import Hummingbird

/// A user's signed-in devices: list them, sign one out, sign out everywhere.
struct DeviceController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("user/devices", use: list)
        group.delete("user/devices/:id", use: signOut)
        group.delete("user/devices", use: signOutEverywhere)
        group.post("user/logout", use: logout)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let sessions = try await services.storage.sessions.activeSessions(userID: context.identity.userID)
        return JSONBody.response(sessions.map { session in
            DeviceOutput(
                id: session.id, name: session.name, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt,
                current: session.id == context.identity.sessionID)
        })
    }

    @Sendable func signOut(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id")
        guard try await services.storage.sessions.revoke(sessionID: id.lowercased(), userID: context.identity.userID, now: services.nowMillis)
        else { throw APIError.deviceNotFound }
        return .noContent
    }

    /// Every session of the user, this one included, and every token issued until now.
    @Sendable func signOutEverywhere(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        try await services.storage.sessions.revokeAll(
            // Every session is revoked, so tokens of this very second are refused already; a "not
            // before" of the next second would also refuse a sign-in made right after this one.
            userID: context.identity.userID, keeping: nil, notBefore: services.nowSeconds, now: services.nowMillis)
        return .noContent
    }

    @Sendable func logout(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        _ = try await services.storage.sessions.revoke(
            sessionID: context.identity.sessionID, userID: context.identity.userID, now: services.nowMillis)
        return .noContent
    }
}
