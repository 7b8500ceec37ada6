import GRDB

public struct FunnelRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "funnel"
    public var id: String
    public var householdID: String
    public var ownerID: String
    public var shared: Bool
    public var name: String
    public var limitMinor: Int64
    /// Lowercase "#rrggbb".
    public var color: String
    public var emoji: String
    public var position: Int
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, shared, name, color, emoji, position
        case householdID = "household_id"
        case ownerID = "owner_id"
        case limitMinor = "limit_minor"
        case createdAt = "created_at"
    }

    public init(
        id: String, householdID: String, ownerID: String, shared: Bool, name: String,
        limitMinor: Int64, color: String, emoji: String, position: Int, createdAt: Int64
    ) {
        self.id = id
        self.householdID = householdID
        self.ownerID = ownerID
        self.shared = shared
        self.name = name
        self.limitMinor = limitMinor
        self.color = color
        self.emoji = emoji
        self.position = position
        self.createdAt = createdAt
    }
}
