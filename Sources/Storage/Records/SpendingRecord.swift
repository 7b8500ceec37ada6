import GRDB

public struct SpendingRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "spending"

    /// The columns queries filter and sort on.
    public enum Columns {
        public static let id = Column("id")
        public static let funnelId = Column("funnel_id")
        public static let householdId = Column("household_id")
        public static let userId = Column("user_id")
        public static let timestamp = Column("timestamp")
        public static let createdAt = Column("created_at")
    }

    public var id: String
    public var funnelId: String
    public var householdId: String
    public var userId: String
    public var amountMinor: Int64
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var note: String
    public var createdAt: Int64

    public init(
        id: String, funnelId: String, householdId: String, userId: String,
        amountMinor: Int64, timestamp: Int64, note: String, createdAt: Int64
    ) {
        self.id = id
        self.funnelId = funnelId
        self.householdId = householdId
        self.userId = userId
        self.amountMinor = amountMinor
        self.timestamp = timestamp
        self.note = note
        self.createdAt = createdAt
    }

    /// Whether `other` records the same spending (for idempotent creates): everything the
    /// client chose, nothing the server stamped.
    /// `timestampChosen` is false when the server stamped the time: each retry gets another one.
    public func hasSameContent(as other: SpendingRecord, timestampChosen: Bool = true) -> Bool {
        funnelId == other.funnelId && userId == other.userId && amountMinor == other.amountMinor
            && (!timestampChosen || timestamp == other.timestamp) && note == other.note
    }
}
