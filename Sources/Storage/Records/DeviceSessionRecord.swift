import GRDB

public struct DeviceSessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "device_session"
    public var id: String
    public var userID: String
    public var name: String
    public var createdAt: Int64
    public var lastSeenAt: Int64
    public var refreshTokenID: String
    public var revokedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, name
        case userID = "user_id"
        case createdAt = "created_at"
        case lastSeenAt = "last_seen_at"
        case refreshTokenID = "refresh_token_id"
        case revokedAt = "revoked_at"
    }

    public init(id: String, userID: String, name: String, createdAt: Int64, refreshTokenID: String) {
        self.id = id
        self.userID = userID
        self.name = name
        self.createdAt = createdAt
        self.lastSeenAt = createdAt
        self.refreshTokenID = refreshTokenID
        self.revokedAt = nil
    }
}

/// One row of the per-user device blacklist.
public struct BlacklistEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "device_blacklist"
    public var id: Int64?
    public var userID: String
    public var sessionID: String?
    public var notBefore: Int64?
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case sessionID = "session_id"
        case notBefore = "not_before"
        case createdAt = "created_at"
    }

    public init(userID: String, sessionID: String?, notBefore: Int64?, createdAt: Int64) {
        self.userID = userID
        self.sessionID = sessionID
        self.notBefore = notBefore
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
