import GRDB

public struct FunnelRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "funnel"

    /// The columns queries filter and sort on.
    public enum Columns {
        public static let id = Column("id")
        public static let householdId = Column("household_id")
        public static let ownerId = Column("owner_id")
        public static let shared = Column("shared")
        public static let position = Column("position")
        public static let createdAt = Column("created_at")
    }

    public var id: String
    public var householdId: String
    public var ownerId: String
    public var shared: Bool
    public var name: String
    public var limitMinor: Int64
    /// Lowercase "#rrggbb".
    public var color: String
    public var emoji: String
    public var position: Int
    public var createdAt: Int64

    public init(
        id: String, householdId: String, ownerId: String, shared: Bool, name: String,
        limitMinor: Int64, color: String, emoji: String, position: Int, createdAt: Int64
    ) {
        self.id = id
        self.householdId = householdId
        self.ownerId = ownerId
        self.shared = shared
        self.name = name
        self.limitMinor = limitMinor
        self.color = color
        self.emoji = emoji
        self.position = position
        self.createdAt = createdAt
    }
}
