import Foundation
import GRDB
import Storage
import Testing

/// Receipt files on disk follow the rows that name them, through replacements, cascades, and a
/// backup restored into a fresh data folder.
@Suite struct ReceiptStoreTests {
    func files(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
    }

    func attach(_ store: ReceiptStore, _ bytes: [UInt8], hash: String, to spending: SpendingRecord, by f: Fixture) async throws {
        _ = try await store.attach(
            bytes, hash: hash, contentType: "image/png", spendingId: spending.id, householdId: f.household.id, userId: f.user.id, now: testNow
        ) { _ in }
    }

    @Test func aBackupCarriesTheFilesAndARestorePutsThemBack() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let receiptsPath = (folder.path as NSString).appendingPathComponent("receipts")
        let backupPath = (folder.path as NSString).appendingPathComponent("backup.sqlite")
        let hashes = [String(repeating: "a", count: 64), String(repeating: "b", count: 64)]
        do {
            let live = try Stores(database: StrackerDatabase(path: folder.databasePath))
            defer { try? live.database.close() }
            let store = try ReceiptStore(database: live.database, folder: receiptsPath)
            let f = try await makeFixture(live)
            let first = spending(in: f.shared, by: f.user, amount: 1, at: testNow)
            let second = spending(in: f.personal, by: f.user, amount: 2, at: testNow)
            _ = try await live.spendings.create(first)
            _ = try await live.spendings.create(second)
            try await attach(store, [1, 2, 3], hash: hashes[0], to: first, by: f)
            try await attach(store, [4, 5], hash: hashes[1], to: second, by: f)
            #expect(try files(receiptsPath) == hashes)

            let counts = try live.database.backup(to: backupPath, receipts: receiptsPath)
            #expect(counts.receipts == 2 && counts.missing == 0)
        }
        // A new machine: nothing but the backup file.
        try FileManager.default.removeItem(atPath: receiptsPath)
        try FileManager.default.removeItem(atPath: folder.databasePath)
        let report = try StrackerDatabase.restore(from: backupPath, to: folder.databasePath, receipts: receiptsPath)
        #expect(report.receipts == 2 && report.spendings == 2)
        #expect(try files(receiptsPath) == hashes)
        #expect(FileManager.default.contents(atPath: (receiptsPath as NSString).appendingPathComponent(hashes[0])) == Data([1, 2, 3]))
        let restored = try StrackerDatabase(path: folder.databasePath)
        defer { try? restored.close() }
        #expect(try await restored.pool.read { db in try db.tableExists("backup_receipt") } == false)
        #expect(try await restored.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM receipt") } == 2)
    }

    @Test func deletingAFunnelRemovesItsSpendingsFilesAtTheNextSweep() async throws {
        try await withStorage { storage in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let store = try ReceiptStore(database: storage.database, folder: folder.path)
            let f = try await makeFixture(storage)
            let kept = spending(in: f.shared, by: f.user, amount: 1, at: testNow)
            let doomed = spending(in: f.personal, by: f.user, amount: 2, at: testNow)
            _ = try await storage.spendings.create(kept)
            _ = try await storage.spendings.create(doomed)
            let shared = String(repeating: "c", count: 64), own = String(repeating: "d", count: 64)
            try await attach(store, [1], hash: shared, to: kept, by: f)
            try await attach(store, [2], hash: own, to: doomed, by: f)
            try await storage.funnels.delete(f.personal)
            #expect(try files(folder.path) == [shared, own])  // listed as orphan, not yet swept
            try await store.sweep()
            #expect(try files(folder.path) == [shared])
            #expect(try await storage.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM receipt_orphan") } == 0)
            // A refused attach moves nothing into place.
            struct No: Error {}
            await #expect(throws: No.self) {
                _ = try await store.attach([9], hash: String(repeating: "e", count: 64), contentType: "image/png", spendingId: kept.id,
                                           householdId: f.household.id, userId: f.user.id, now: testNow) { _ in throw No() }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [shared])
        }
    }
}
