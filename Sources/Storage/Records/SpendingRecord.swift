import GRDB

public struct SpendingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "spending"
    public var id: String
    public var funnelID: String
    public var householdID: String
    public var userID: String
    public var amountMinor: Int64
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    public var note: String
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, timestamp, note
        case funnelID = "funnel_id"
        case householdID = "household_id"
        case userID = "user_id"
        case amountMinor = "amount_minor"
        case createdAt = "created_at"
    }

    public init(
        id: String, funnelID: String, householdID: String, userID: String,
        amountMinor: Int64, timestamp: Int64, note: String, createdAt: Int64
    ) {
        self.id = id
        self.funnelID = funnelID
        self.householdID = householdID
        self.userID = userID
        self.amountMinor = amountMinor
        self.timestamp = timestamp
        self.note = note
        self.createdAt = createdAt
    }

    /// Whether `other` records the same spending (for idempotent creates): everything the
    /// client chose, nothing the server stamped.
    /// `timestampChosen` is false when the server stamped the time: each retry gets another one.
    public func hasSameContent(as other: SpendingRecord, timestampChosen: Bool = true) -> Bool {
        funnelID == other.funnelID && userID == other.userID && amountMinor == other.amountMinor
            && (!timestampChosen || timestamp == other.timestamp) && note == other.note
    }
}
