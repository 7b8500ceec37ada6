import GRDB

public struct DeviceSessionRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "device_session"

    /// The columns queries filter and sort on.
    public enum Columns {
        public static let userId = Column("user_id")
        public static let revokedAt = Column("revoked_at")
        public static let lastSeenAt = Column("last_seen_at")
    }

    public var id: String
    public var userId: String
    public var name: String
    public var createdAt: Int64
    public var lastSeenAt: Int64
    public var refreshTokenId: String
    public var revokedAt: Int64?

    public init(id: String, userId: String, name: String, createdAt: Int64, refreshTokenId: String) {
        self.id = id
        self.userId = userId
        self.name = name
        self.createdAt = createdAt
        self.lastSeenAt = createdAt
        self.refreshTokenId = refreshTokenId
        self.revokedAt = nil
    }
}

/// One row of the per-user device blacklist.
public struct BlacklistEntry: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "device_blacklist"
    public var id: Int64?
    public var userId: String
    public var sessionId: String?
    public var notBefore: Int64?
    public var createdAt: Int64

    public init(userId: String, sessionId: String?, notBefore: Int64?, createdAt: Int64) {
        self.userId = userId
        self.sessionId = sessionId
        self.notBefore = notBefore
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
