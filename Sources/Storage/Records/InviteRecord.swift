import GRDB

public struct InviteRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "invite"
    public var code: String
    public var householdId: String
    public var createdBy: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var usedBy: String?
    public var usedAt: Int64?

    public init(code: String, householdId: String, createdBy: String, createdAt: Int64, expiresAt: Int64) {
        self.code = code
        self.householdId = householdId
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
