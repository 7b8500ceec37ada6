import Foundation
import GRDB
import Storage
import Testing

@Suite struct MigrationTests {
    @Test func migrationsApplyToAFreshFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(!FileManager.default.fileExists(atPath: folder.databasePath))
        let database = try StrackerDatabase(path: folder.databasePath)
        defer { try? database.close() }
        #expect(FileManager.default.fileExists(atPath: folder.databasePath))
        #expect(try database.appliedMigrations() == ["v1: households, users, sessions, funnels, spendings"])
        let tables = try await database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(tables == ["device_blacklist", "device_session", "funnel", "household", "invite", "spending", "user"])
        let journal = try await database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let foreignKeys = try await database.pool.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == true)
        #expect(await database.isHealthy())
    }

    @Test func reopeningAMigratedFileKeepsItsData() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try Stores(database: StrackerDatabase(path: folder.databasePath))
        let fixture = try await makeFixture(first)
        try first.database.close()

        let second = try Stores(database: StrackerDatabase(path: folder.databasePath))
        defer { try? second.database.close() }
        #expect(try second.database.appliedMigrations().count == 1)
        #expect(try await second.accounts.user(username: "ALICE")?.id == fixture.user.id)
        #expect(second.directory.member(id: fixture.user.id)?.householdId == fixture.household.id)
        #expect(try count(second, "funnel") == 2)
    }

    @Test func backupWritesAReadableCopy() async throws {
        try await withStorage { storage in
            _ = try await makeFixture(storage)
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let copyPath = (folder.path as NSString).appendingPathComponent("backup.sqlite")
            try storage.database.backup(to: copyPath)
            let copy = try DatabaseQueue(path: copyPath)
            #expect(try await copy.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM funnel") } == 2)
        }
    }
}
