import Foundation
import GRDB

public enum MemberRole: String, Codable, Sendable, DatabaseValueConvertible {
    case owner, member
}

public struct UserRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"
    public var id: String
    public var username: String
    public var usernameKey: String
    /// The OTP secret sealed with AES-GCM by the App; Storage never sees it in clear.
    public var otpSecretSealed: Data
    public var lastOTPStep: Int64?
    public var householdID: String
    public var role: MemberRole
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, username, role
        case usernameKey = "username_key"
        case otpSecretSealed = "otp_secret_sealed"
        case lastOTPStep = "last_otp_step"
        case householdID = "household_id"
        case createdAt = "created_at"
    }

    public init(
        id: String, username: String, otpSecretSealed: Data, lastOTPStep: Int64?,
        householdID: String, role: MemberRole, createdAt: Int64
    ) {
        self.id = id
        self.username = username
        self.usernameKey = Self.key(for: username)
        self.otpSecretSealed = otpSecretSealed
        self.lastOTPStep = lastOTPStep
        self.householdID = householdID
        self.role = role
        self.createdAt = createdAt
    }

    /// The case-insensitive identity of a username.
    public static func key(for username: String) -> String {
        username.precomposedStringWithCanonicalMapping.lowercased()
    }
}
