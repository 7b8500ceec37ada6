import Storage

/// Who made an authenticated request, from a verified access token and the directory.
public struct Identity: Sendable, Equatable {
    public let userID: String
    public let username: String
    public let sessionID: String
    public let householdID: String
    public let role: MemberRole
    let claims: TokenClaims
}
