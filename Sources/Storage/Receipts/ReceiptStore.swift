import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// Receipts of spendings: a row per spending in the database, the bytes in `folder` (DATA_DIR/receipts)
/// in a file named by their SHA-256, so that one picture attached twice is stored once.
///
/// Files are renamed into place and removed only inside write transactions, which the writer
/// runs one at a time: a file a committed row names is always there. A file no row names any
/// more is listed by the schema's triggers (`receipt_orphan`) and removed by `sweep`, which
/// each write of this store runs, and the server after deletions.
public struct ReceiptStore: Sendable {
    let db: DatabasePool
    public let folder: String

    public init(database: StrackerDatabase, folder: String) throws {
        db = database.pool
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public func path(of hash: String) -> String {
        (folder as NSString).appendingPathComponent(hash)
    }

    /// Stores `bytes` (whose SHA-256 in hex is `hash`) as the receipt of the visible spending
    /// `spendingId`, replacing any it had, unless `mayChange` refuses the spending.
    public func attach(
        _ bytes: [UInt8], hash: String, contentType: String, spendingId: String, householdId: String, userId: String, now: Int64,
        mayChange: @Sendable (SpendingRecord) throws -> Void
    ) async throws -> ReceiptRecord {
        // Written and synced before the transaction; moved into place inside it.
        let staged = (folder as NSString).appendingPathComponent(".upload-\(UUID().uuidString)")
        try Self.write(bytes, to: staged)
        defer { unlink(staged) }
        let receipt = ReceiptRecord(spendingId: spendingId, hash: hash, contentType: contentType, size: bytes.count, createdAt: now)
        try await db.write { [folder] db in
            let spending = try SpendingStore.visibleSpending(id: spendingId, householdId: householdId, userId: userId, in: db)
            try mayChange(spending)
            guard rename(staged, path(of: hash)) == 0 else { throw ReceiptFileError.unwritable(String(cString: strerror(errno))) }
            Self.syncFolder(folder)
            try receipt.upsert(db)
            try Self.sweep(db, folder: folder)
        }
        return receipt
    }

    /// The receipt of the visible spending `spendingId`, if it has one (throws `spendingNotFound`
    /// when the caller may not see the spending).
    public func receipt(spendingId: String, householdId: String, userId: String) async throws -> ReceiptRecord? {
        try await db.read { db in
            _ = try SpendingStore.visibleSpending(id: spendingId, householdId: householdId, userId: userId, in: db)
            return try ReceiptRecord.fetchOne(db, key: spendingId)
        }
    }

    /// Removes the receipt of the visible spending `spendingId` (answers whether it had one).
    public func detach(
        spendingId: String, householdId: String, userId: String, mayChange: @Sendable (SpendingRecord) throws -> Void
    ) async throws -> Bool {
        try await db.write { [folder] db in
            let spending = try SpendingStore.visibleSpending(id: spendingId, householdId: householdId, userId: userId, in: db)
            try mayChange(spending)
            let removed = try ReceiptRecord.deleteOne(db, key: spendingId)
            try Self.sweep(db, folder: folder)
            return removed
        }
    }

    /// Which of `spendingIds` (already scoped to what the caller sees) have a receipt: one
    /// primary-key look-up each. Starting from the household's spendings instead would walk all
    /// of them to find the few with a receipt (97 % of an uncached overview at 1 000 000).
    static func withReceipts(among spendingIds: [String], in db: Database) throws -> Set<String> {
        guard !spendingIds.isEmpty else { return [] }
        return Set(try String.fetchAll(
            db, sql: "SELECT spending_id FROM receipt WHERE spending_id IN (\(databaseQuestionMarks(count: spendingIds.count)))",
            arguments: StatementArguments(spendingIds)))
    }

    /// Removes the files no receipt names any more.
    public func sweep() async throws {
        try await db.write { [folder] db in try Self.sweep(db, folder: folder) }
    }

    static func sweep(_ db: Database, folder: String) throws {
        let orphans = try String.fetchAll(db, sql: "SELECT hash FROM receipt_orphan")
        for hash in orphans {
            // The triggers keep the list exact; the check costs an index lookup and guards a hand-edited database.
            let named = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM receipt WHERE hash = ?)", arguments: [hash]) ?? true
            if !named { unlink((folder as NSString).appendingPathComponent(hash)) }
            try db.execute(sql: "DELETE FROM receipt_orphan WHERE hash = ?", arguments: [hash])
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReceiptFileError.unwritable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written) }
            guard count > 0 else { throw ReceiptFileError.unwritable(String(cString: strerror(errno))) }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw ReceiptFileError.unwritable(String(cString: strerror(errno))) }
    }

    /// A rename is durable once the folder is synced.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

public enum ReceiptFileError: Error, Equatable {
    case unwritable(String)
}
