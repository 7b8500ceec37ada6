import Foundation
import GRDB

public enum MemberRole: String, Codable, Sendable, DatabaseValueConvertible {
    case owner, member
}

public struct UserRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "user"

    /// The columns queries filter and sort on.
    public enum Columns {
        public static let id = Column("id")
        public static let usernameKey = Column("username_key")
        public static let householdId = Column("household_id")
        public static let createdAt = Column("created_at")
    }

    public var id: String
    public var username: String
    public var usernameKey: String
    /// The OTP secret sealed with AES-GCM by the App; Storage never sees it in clear.
    public var otpSecretSealed: Data
    public var lastOtpStep: Int64?
    public var householdId: String
    public var role: MemberRole
    public var createdAt: Int64

    public init(
        id: String, username: String, otpSecretSealed: Data, lastOtpStep: Int64?,
        householdId: String, role: MemberRole, createdAt: Int64
    ) {
        self.id = id
        self.username = username
        self.usernameKey = Self.key(for: username)
        self.otpSecretSealed = otpSecretSealed
        self.lastOtpStep = lastOtpStep
        self.householdId = householdId
        self.role = role
        self.createdAt = createdAt
    }

    /// The case-insensitive identity of a username.
    public static func key(for username: String) -> String {
        username.precomposedStringWithCanonicalMapping.lowercased()
    }
}
