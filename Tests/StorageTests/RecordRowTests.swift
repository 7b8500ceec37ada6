import Foundation
import GRDB
@testable import Storage
import Testing

@Suite struct RecordRowTests {
    /// The hand-written `init(row:)` reads back exactly what the encoding strategy wrote, for
    /// values that differ in every column (a swapped or missed column cannot pass).
    @Test func aFunnelReadsBackAsWritten() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let funnel = FunnelRecord(
                id: newID(), householdId: f.household.id, ownerId: f.user.id, shared: true, name: "Café ☕ \"x\"",
                limitMinor: 123_456_789, color: "#0a1b2c", emoji: "🧀", position: 7, createdAt: 1_700_000_000_123)
            try await storage.database.pool.write { db in try funnel.insert(db) }
            let read = try await storage.database.pool.read { db in try FunnelRecord.fetchOne(db, key: funnel.id) }
            #expect(read == funnel)
            var changed = funnel
            changed.shared = false
            changed.position = -3
            try await storage.database.pool.write { [changed] db in try changed.update(db) }
            let reread = try await storage.database.pool.read { db in try FunnelRecord.fetchOne(db, key: funnel.id) }
            #expect(reread == changed)
            // Columns missing from a row are an error, not a default.
            await #expect(throws: RowDecodingError.self) {
                try await storage.database.pool.read { db in
                    try FunnelRecord.fetchOne(db, sql: "SELECT id, name FROM funnel WHERE id = ?", arguments: [funnel.id])
                }
            }
        }
    }

    @Test func aHouseholdReadsBackAsWritten() async throws {
        try await withStorage { storage in
            let household = HouseholdRecord(
                id: newID(), name: "Die Müllers \"Ost\" 🏡", currency: "KWD", periodStartDay: 28, timeZone: "Asia/Kathmandu",
                createdAt: 1_700_000_000_123)
            try await storage.database.pool.write { db in try household.insert(db) }
            let read = try await storage.database.pool.read { db in try HouseholdRecord.fetchOne(db, key: household.id) }
            #expect(read == household)
            var changed = household
            changed.periodStartDay = 1
            changed.timeZone = "UTC"
            changed.name = "x"
            try await storage.database.pool.write { [changed] db in try changed.update(db) }
            let reread = try await storage.database.pool.read { db in
                try HouseholdStore.household(id: household.id, in: db)
            }
            #expect(reread == changed)
            await #expect(throws: RowDecodingError.self) {
                try await storage.database.pool.read { db in
                    try HouseholdRecord.fetchOne(db, sql: "SELECT id, name FROM household WHERE id = ?", arguments: [household.id])
                }
            }
        }
    }
}
