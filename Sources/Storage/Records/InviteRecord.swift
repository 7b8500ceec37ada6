import GRDB

public struct InviteRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "invite"
    public var code: String
    public var householdID: String
    public var createdBy: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var usedBy: String?
    public var usedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case code
        case householdID = "household_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case usedBy = "used_by"
        case usedAt = "used_at"
    }

    public init(code: String, householdID: String, createdBy: String, createdAt: Int64, expiresAt: Int64) {
        self.code = code
        self.householdID = householdID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
