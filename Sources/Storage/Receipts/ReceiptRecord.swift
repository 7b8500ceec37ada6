import GRDB

/// A spending's receipt: which file (by the SHA-256 of its bytes, hex) and what it is.
public struct ReceiptRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "receipt"

    public enum Columns {
        public static let spendingId = Column("spending_id")
        public static let hash = Column("hash")
    }

    public var spendingId: String
    public var hash: String
    /// image/jpeg, image/png, image/webp or image/heic, as recognised from the bytes.
    public var contentType: String
    public var size: Int
    public var createdAt: Int64

    public init(spendingId: String, hash: String, contentType: String, size: Int, createdAt: Int64) {
        self.spendingId = spendingId
        self.hash = hash
        self.contentType = contentType
        self.size = size
        self.createdAt = createdAt
    }
}
