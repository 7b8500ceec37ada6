import Foundation
import GRDB

/// The service's SQLite database: one WAL-mode pool (one writer, many readers), migrated on open.
public struct StrackerDatabase: Sendable {
    public let pool: DatabasePool
    /// Advanced by the database after every commit that changes what a household's members see.
    public let versions = HouseholdVersions()

    /// Opens (creating if needed) the database file at `path` and applies every pending migration.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            // NORMAL is durable in WAL mode across process crashes; only an OS crash can lose
            // the last transactions, a fair trade for a home server's write latency.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        try pool.write { [versions] db in try HouseholdChangeTracking.install(in: db, versions: versions) }
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

    /// Writes a consistent copy of the live database to `destination` (SQLite online backup).
    public func backup(to destination: String) throws {
        let target = try DatabaseQueue(path: destination)
        try pool.backup(to: target)
    }

    public func close() throws {
        try pool.close()
    }
}
