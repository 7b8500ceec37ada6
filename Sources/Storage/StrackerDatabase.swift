import Foundation
import GRDB

/// The service's SQLite database: one WAL-mode pool (one writer, many readers), migrated on open.
public struct StrackerDatabase: Sendable {
    public let pool: DatabasePool
    /// Advanced by the database after every commit that changes what a household's members see.
    public let versions = HouseholdVersions()
    /// Every committed change, for the members' live updates.
    public let changes = HouseholdChangeFeed()
    /// The writes on a hot path (spendings) commit together through it.
    public let groupCommit: GroupCommit

    /// Reads use the CPU, not the disk (the file is in the OS cache), so readers beyond the
    /// cores add no throughput; each keeps its own page cache (up to 2 MiB) and statements.
    /// Requests beyond them wait their turn without holding a thread.
    static let readerCount = max(2, min(8, ProcessInfo.processInfo.activeProcessorCount))

    /// Opens (creating if needed) the database file at `path` and applies every pending migration,
    /// after copying a database that has data to `path.before-<migration>` (see `preMigrationCopy`).
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.maximumReaderCount = Self.readerCount
        self.pool = try DatabasePool(path: path, configuration: configuration)
        // FULL syncs the write-ahead log at every commit, so a spending answered 201 survives a
        // power cut, not only a crash of the process (README, "Durability"). Set on the writer
        // after opening: GRDB sets NORMAL there when it turns WAL mode on, after prepareDatabase.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Self.copyBeforeMigrating(pool, path: path)
        try Self.migrator.migrate(pool)
        let tracking = try pool.write { [versions, changes] db in
            try HouseholdChangeTracking.install(in: db, versions: versions, feed: changes)
        }
        self.groupCommit = GroupCommit(pool: pool, tracking: tracking)
    }

    /// Where the copy taken before migrating lands: beside the database, named after the first
    /// migration it is about to apply.
    public static func preMigrationCopy(of path: String, before migration: String) -> String {
        let tag = migration.prefix { $0 != ":" }.filter { $0.isLetter || $0.isNumber }
        return "\(path).before-\(tag)"
    }

    private static func copyBeforeMigrating(_ pool: DatabasePool, path: String) throws {
        let (applied, pending) = try pool.read { db in
            let applied = try migrator.appliedIdentifiers(db)
            return (applied, migrator.migrations.filter { !applied.contains($0) })
        }
        guard !applied.isEmpty, let next = pending.first else { return }
        let copy = preMigrationCopy(of: path, before: next)
        try? FileManager.default.removeItem(atPath: copy)
        try pool.backup(to: try DatabaseQueue(path: copy))
    }

    /// Calls `record` with the duration of every write transaction, from its BEGIN to the end of
    /// its COMMIT (which syncs the write-ahead log), as SQLite's profiling reports the statements.
    public func observeWriteTransactions(_ record: @escaping @Sendable (Duration) -> Void) {
        pool.writeWithoutTransaction { db in WriteTransactionTimer.install(on: db, record: record) }
    }

    /// Names of the migrations already applied, in order (for `stracker migrate`).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// Answers whether the database can serve a read (for /healthz).
    public func isHealthy() async -> Bool {
        do {
            return try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") == 1 }
        } catch {
            return false
        }
    }

    /// Writes a consistent copy of the live database to `destination` (SQLite online backup)
    /// and, with `receipts` (their folder), the receipt files it names into the copy's
    /// `backup_receipt` table, so that one file holds everything; `restore` takes them out again.
    /// Answers how many receipt files it holds, and how many were already gone (deleted since the copy).
    @discardableResult
    public func backup(to destination: String, receipts: String? = nil) throws -> (receipts: Int, missing: Int) {
        let target = try DatabaseQueue(path: destination)
        try pool.backup(to: target)
        guard let receipts else { return (0, 0) }
        return try target.write { db in
            try db.execute(sql: "CREATE TABLE backup_receipt (hash TEXT PRIMARY KEY NOT NULL, bytes BLOB NOT NULL) WITHOUT ROWID")
            guard try db.tableExists("receipt") else { return (0, 0) }
            var counts = (receipts: 0, missing: 0)
            for hash in try String.fetchAll(db, sql: "SELECT DISTINCT hash FROM receipt") {
                // Files are immutable and named by content: a copy taken now is the one the rows name.
                guard let bytes = FileManager.default.contents(atPath: (receipts as NSString).appendingPathComponent(hash)) else {
                    counts.missing += 1
                    continue
                }
                try db.execute(sql: "INSERT INTO backup_receipt (hash, bytes) VALUES (?, ?)", arguments: [hash, bytes])
                counts.receipts += 1
            }
            return counts
        }
    }

    public func close() throws {
        try pool.close()
    }
}
