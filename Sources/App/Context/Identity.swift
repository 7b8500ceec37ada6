import Storage

/// Who made an authenticated request, from a verified access token and the directory.
public struct Identity: Sendable, Equatable {
    public let userId: String
    public let username: String
    public let sessionId: String
    public let householdId: String
    public let role: MemberRole
    let claims: TokenClaims
}
