import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

extension StrackerDatabase {
    public struct RestoreReport: Sendable, Equatable {
        public var users: Int
        public var spendings: Int
        /// Receipt files the backup carried, now in the receipts folder.
        public var receipts: Int = 0
        /// Where the database that was replaced was copied, if there was one.
        public var replacedCopy: String?
    }

    public enum RestoreError: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case damaged(String)
        case unknownSchema(String)

        public var description: String {
            switch self {
            case .unreadable(let reason): "The backup cannot be read: \(reason)"
            case .damaged(let report): "The backup is damaged (integrity check: \(report))"
            case .unknownSchema(let detail): "The backup is not a STracker database this version can use: \(detail)"
            }
        }
    }

    /// Replaces the database at `destination` by the backup at `source`, page by page through
    /// SQLite's online backup (so a stale write-ahead log of the old database cannot survive it),
    /// then migrates it. The caller holds the data folder's lock: no server has it open.
    public static func restore(from source: String, to destination: String, receipts: String? = nil) throws -> RestoreReport {
        guard FileManager.default.isReadableFile(atPath: source) else { throw RestoreError.unreadable("no readable file at \(source)") }
        var configuration = Configuration()
        configuration.readonly = true
        let backup: DatabaseQueue
        do {
            backup = try DatabaseQueue(path: source, configuration: configuration)
            let check = try backup.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            guard check == ["ok"] else { throw RestoreError.damaged(check.prefix(3).joined(separator: "; ")) }
        } catch let error as RestoreError {
            throw error
        } catch {
            throw RestoreError.unreadable("\(error)")
        }
        let applied = try backup.read { db -> Set<String> in
            guard try db.tableExists("grdb_migrations") else { throw RestoreError.unknownSchema("no migrations table") }
            return try migrator.appliedIdentifiers(db)
        }
        let known = Set(migrator.migrations)
        guard !applied.isEmpty, applied.isSubset(of: known) else {
            throw RestoreError.unknownSchema(applied.isEmpty ? "no migration applied" : "made by a newer version (\(applied.subtracting(known).sorted().joined(separator: ", ")))")
        }

        var replacedCopy: String?
        if FileManager.default.fileExists(atPath: destination) {
            let copy = "\(destination).before-restore"
            try? FileManager.default.removeItem(atPath: copy)
            try DatabaseQueue(path: destination).backup(to: try DatabaseQueue(path: copy))
            replacedCopy = copy
        }
        try backup.backup(to: try DatabaseQueue(path: destination))
        let receiptFiles = try receipts.map { try unpackReceipts(in: destination, into: $0) } ?? 0
        let restored = try StrackerDatabase(path: destination)
        defer { try? restored.close() }
        let (users, spendings) = try restored.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM spending") ?? 0)
        }
        return RestoreReport(users: users, spendings: spendings, receipts: receiptFiles, replacedCopy: replacedCopy)
    }

    /// Moves the receipt files a backup carries (`backup_receipt`) into the folder `receipts`,
    /// and drops the table from the restored database.
    static func unpackReceipts(in path: String, into receipts: String) throws -> Int {
        let database = try DatabaseQueue(path: path)
        defer { try? database.close() }
        return try database.write { db in
            guard try db.tableExists("backup_receipt") else { return 0 }
            try FileManager.default.createDirectory(atPath: receipts, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var count = 0
            let rows = try Row.fetchCursor(db, sql: "SELECT hash, bytes FROM backup_receipt")
            while let row = try rows.next() {
                let hash: String = row["hash"]
                let bytes: Data = row["bytes"]
                // Named by content: a file already there is this one.
                guard hash.allSatisfy({ $0.isHexDigit }), hash.count == 64 else { continue }
                let target = (receipts as NSString).appendingPathComponent(hash)
                if !FileManager.default.fileExists(atPath: target) {
                    let staged = target + ".restoring"
                    unlink(staged)
                    try ReceiptStore.write(Array(bytes), to: staged)
                    guard rename(staged, target) == 0 else { throw ReceiptFileError.unwritable(String(cString: strerror(errno))) }
                }
                count += 1
            }
            ReceiptStore.syncFolder(receipts)
            try db.execute(sql: "DROP TABLE backup_receipt")
            return count
        }
    }
}
