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
        #expect(try database.appliedMigrations() == [
            "v1: households, users, sessions, funnels, spendings", "v2: session epoch, advanced by every revocation from any process",
            "v3: receipts of spendings, their files named by content hash",
            "v4: the household's spendings indexed in the order they are listed",
            "v5: every funnel's sum per stored budget period, kept by triggers",
            "v6: the household's order index holds every column a list shows",
            "v7: recovery codes and enrolment tickets, for a person who lost their authenticator",
            "v8: every member's sum per funnel and stored period, kept by triggers",
        ])
        let indexes = try await database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spending' AND sql IS NOT NULL ORDER BY name")
        }
        #expect(indexes == ["spending_listed_in_household_order", "spending_on_funnel_timestamp"])
        let tables = try await database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(tables == [
            "budget_period", "device_blacklist", "device_session", "enrolment_ticket", "funnel", "funnel_period_total", "household", "invite",
            "member_period_total", "receipt", "receipt_orphan", "recovery_code", "session_epoch", "spending", "user",
        ])
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
        #expect(try second.database.appliedMigrations().count == 8)
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

    @Test func everyCommitIsSyncedToDisk() async throws {
        try await withStorage { storage in
            // 2 is FULL: the write-ahead log is synced at each commit (power-cut durability).
            let writer = try await storage.database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(writer == 2)
        }
    }

    @Test func aDatabaseWithDataIsCopiedBeforeAMigration() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try Stores(database: StrackerDatabase(path: folder.databasePath))
        _ = try await makeFixture(first)
        // Back to the schema of version 1, as a database written by an early release.
        try await first.database.pool.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier NOT LIKE 'v1:%'")
            try db.execute(sql: """
                CREATE INDEX spending_on_household_timestamp ON spending(household_id, timestamp);
                DROP INDEX spending_listed_in_household_order
                """)
            try db.execute(sql: "DROP TABLE receipt; DROP TABLE receipt_orphan")
            for trigger in ["session_revoked", "session_deleted", "blacklist_added", "blacklist_changed", "blacklist_deleted"] {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DROP TABLE session_epoch")
            try Self.dropMemberTotals(in: db)
            for trigger in ["budget_period_disjoint", "budget_period_fixed", "budget_period_added", "budget_period_removed",
                            "spending_counted", "spending_uncounted", "spending_recounted", "funnel_moved"] {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DROP TABLE funnel_period_total; DROP TABLE budget_period")
            try db.execute(sql: "DROP TABLE recovery_code; DROP TABLE enrolment_ticket")
        }
        try first.database.close()
        let copyPath = StrackerDatabase.preMigrationCopy(of: folder.databasePath, before: "v2: session epoch")
        #expect(copyPath == folder.databasePath + ".before-v2")
        #expect(!FileManager.default.fileExists(atPath: copyPath))

        let second = try StrackerDatabase(path: folder.databasePath)
        defer { try? second.close() }
        #expect(try second.appliedMigrations().count == 8)
        let copy = try DatabaseQueue(path: copyPath)
        #expect(try await copy.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }.count == 1)
        #expect(try await copy.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM funnel") } == 2)
    }

    @Test func aFreshDatabaseNeedsNoCopy() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try StrackerDatabase(path: folder.databasePath).close()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.contains(".before-") })
    }

    @Test func aBackupRestoresRoundTrip() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let backupPath = (folder.path as NSString).appendingPathComponent("backup.sqlite")
        let live = try Stores(database: StrackerDatabase(path: folder.databasePath))
        let fixture = try await makeFixture(live)
        _ = try await live.spendings.create(spending(in: fixture.shared, by: fixture.user, amount: 1234, at: testNow))
        try live.database.backup(to: backupPath)
        // Written after the backup: the restore must take the database back to before it.
        _ = try await live.spendings.create(spending(in: fixture.shared, by: fixture.user, amount: 99, at: testNow))
        try live.database.close()

        let report = try StrackerDatabase.restore(from: backupPath, to: folder.databasePath)
        #expect(report.spendings == 1 && report.users == 1)
        #expect(report.replacedCopy == folder.databasePath + ".before-restore")
        let restored = try Stores(database: StrackerDatabase(path: folder.databasePath))
        defer { try? restored.database.close() }
        #expect(try await restored.database.pool.read { db in try Int64.fetchAll(db, sql: "SELECT amount_minor FROM spending") } == [1234])
        let replaced = try DatabaseQueue(path: folder.databasePath + ".before-restore")
        #expect(try await replaced.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM spending") } == 2)
    }

    @Test func restoreRefusesWhatIsNotAGoodBackup() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = folder.databasePath
        #expect(throws: StrackerDatabase.RestoreError.self) { try StrackerDatabase.restore(from: folder.path + "/missing.sqlite", to: target) }
        let garbage = folder.path + "/garbage.sqlite"
        try Data("not a database at all, just some text".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: StrackerDatabase.RestoreError.self) { try StrackerDatabase.restore(from: garbage, to: target) }
        let foreign = folder.path + "/foreign.sqlite"
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        #expect(throws: StrackerDatabase.RestoreError.unknownSchema("no migrations table")) { try StrackerDatabase.restore(from: foreign, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func theDataFolderIsPrivateAndHeldByOneServer() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = folder.path + "/data"
        try DataFolder.prepare(data)
        let mode = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue }
        #expect(try mode(data) == 0o700)
        let database = try StrackerDatabase(path: data + "/stracker.sqlite")
        try database.backup(to: data + "/backup.sqlite")
        for name in try FileManager.default.contentsOfDirectory(atPath: data) {
            #expect(try mode(data + "/" + name) == 0o600, "\(name)")
        }
        try database.close()
        // An existing folder that others could read is tightened.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: data)
        try DataFolder.prepare(data)
        #expect(try mode(data) == 0o700)

        let lock = try DataFolder.lock(data)
        #expect(throws: DataFolderError.inUse(path: data)) { _ = try DataFolder.lock(data) }
        withExtendedLifetime(lock) {}
    }
}

extension MigrationTests {
    /// A database with a household and 30 spendings in its shared funnel, 20 days apart back from now.
    func storesWithSpendings(in folder: TemporaryFolder) async throws -> (Stores, Fixture, now: Int64) {
        let stores = try Stores(database: StrackerDatabase(path: folder.databasePath))
        let fixture = try await makeFixture(stores)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for offset in 0..<30 as Range<Int64> {
            _ = try await stores.spendings.create(spending(in: fixture.shared, by: fixture.user, amount: 10 + offset, at: now - offset * 20 * 86_400_000))
        }
        return (stores, fixture, now)
    }

    /// Migration v8 taken out (its table and triggers), as a release before it left the file.
    static func dropMemberTotals(in db: Database) throws {
        try db.execute(sql: "DROP TABLE member_period_total")
        for trigger in ["budget_period_added_by_member", "budget_period_removed_by_member", "spending_counted_by_member",
                        "spending_uncounted_by_member", "spending_recounted_by_member", "funnel_moved_by_member"] {
            try db.execute(sql: "DROP TRIGGER \(trigger)")
        }
    }

    @Test func migrationFiveSumsWhatHouseholdsHaveSpent() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (first, _, _) = try await storesWithSpendings(in: folder)
        // Back to the schema of version 4, as a database written by the previous release.
        try await first.database.pool.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier NOT LIKE 'v1:%' AND identifier NOT LIKE 'v2:%' AND identifier NOT LIKE 'v3:%' AND identifier NOT LIKE 'v4:%'")
            try db.execute(sql: "DROP TABLE recovery_code; DROP TABLE enrolment_ticket")
            try Self.dropMemberTotals(in: db)
            try db.execute(sql: """
                CREATE INDEX spending_in_household_order ON spending(household_id, timestamp, created_at, id);
                DROP INDEX spending_listed_in_household_order
                """)
            for trigger in ["budget_period_disjoint", "budget_period_fixed", "budget_period_added", "budget_period_removed",
                            "spending_counted", "spending_uncounted", "spending_recounted", "funnel_moved"] {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DROP TABLE funnel_period_total; DROP TABLE budget_period")
        }
        try first.database.close()
        let second = try Stores(database: StrackerDatabase(path: folder.databasePath))
        defer { try? second.database.close() }
        let (total, count) = try await second.database.pool.read { db in
            (try Int64.fetchOne(db, sql: "SELECT SUM(amount_minor) FROM funnel_period_total") ?? 0,
             try Int.fetchOne(db, sql: "SELECT SUM(spending_count) FROM funnel_period_total") ?? 0)
        }
        #expect(count == 30)
        #expect(total == (10..<40).reduce(0, +))
    }

    @Test func migrationEightSplitsEachFunnelsSumsByMember() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (first, fixture, now) = try await storesWithSpendings(in: folder)
        // Back to the schema of version 7, as a database written by the previous release.
        try await first.database.pool.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v8:%'")
            try Self.dropMemberTotals(in: db)
        }
        try first.database.close()
        let second = try Stores(database: StrackerDatabase(path: folder.databasePath))
        defer { try? second.database.close() }
        let (split, whole) = try await second.database.pool.read { db in
            (try Row.fetchAll(db, sql: """
                SELECT funnel_id, start_ms, user_id, amount_minor, spending_count FROM member_period_total ORDER BY funnel_id, start_ms
                """).map { "\($0[0] as String) \($0[1] as Int64) \($0[2] as String) \($0[3] as Int64) \($0[4] as Int64)" },
             try Row.fetchAll(db, sql: """
                SELECT funnel_id, start_ms, amount_minor, spending_count FROM funnel_period_total ORDER BY funnel_id, start_ms
                """).map { "\($0[0] as String) \($0[1] as Int64) \(fixture.user.id) \($0[2] as Int64) \($0[3] as Int64)" })
        }
        #expect(split.count > 10)
        #expect(split == whole, "one member: their split is the whole")
        // And the triggers keep it from now on.
        _ = try await second.spendings.create(spending(in: fixture.shared, by: fixture.user, amount: 1_000, at: now))
        let latest = try await second.database.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT amount_minor FROM member_period_total WHERE start_ms <= ? ORDER BY start_ms DESC LIMIT 1", arguments: [now])
        }
        #expect(latest == 1_010)
    }
}
