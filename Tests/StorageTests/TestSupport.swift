import Foundation
import GRDB
@testable import Storage

/// A fresh database file in its own temporary folder, removed when `body` ends.
func withStorage<T>(_ body: (Stores) async throws -> T) async throws -> T {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let storage = try Stores(database: StrackerDatabase(path: folder.databasePath))
    defer { try? storage.database.close() }
    return try await body(storage)
}

struct TemporaryFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { (path as NSString).appendingPathComponent("stracker.sqlite") }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

func newID() -> String { UUID().uuidString.lowercased() }

/// 2025-09-20T10:00:00Z in milliseconds.
let testNow: Int64 = 1_758_362_400_000

/// A user registered in a household of their own with one shared and one personal funnel.
struct Fixture {
    let user: UserRecord
    let household: HouseholdRecord
    let session: DeviceSessionRecord
    let shared: FunnelRecord
    let personal: FunnelRecord
}

func makeFixture(_ storage: Stores, username: String = "alice") async throws -> Fixture {
    let householdId = newID()
    let userId = newID()
    let household = HouseholdRecord(
        id: householdId, name: "\(username)'s household", currency: "EUR", periodStartDay: 1, timeZone: "UTC",
        createdAt: testNow)
    func funnel(_ name: String, shared: Bool, position: Int) -> FunnelRecord {
        FunnelRecord(
            id: newID(), householdId: householdId, ownerId: userId, shared: shared, name: name, limitMinor: 200_000,
            color: "#ffa500", emoji: "🍞", position: position, createdAt: testNow)
    }
    let shared = funnel("Food", shared: true, position: 0)
    let personal = funnel("Mine", shared: false, position: 1)
    let session = DeviceSessionRecord(id: newID(), userId: userId, name: "test", createdAt: testNow, refreshTokenId: newID())
    let user = try await storage.accounts.register(
        UserRecord(
            id: userId, username: username, otpSecretSealed: Data([1, 2, 3]), lastOtpStep: nil, householdId: "",
            role: .owner, createdAt: testNow),
        placement: .newHousehold(household, funnels: [shared, personal]), session: session, now: testNow)
    return Fixture(user: user, household: household, session: session, shared: shared, personal: personal)
}

func spending(in funnel: FunnelRecord, by user: UserRecord, amount: Int64, at timestamp: Int64, id: String = newID()) -> SpendingRecord {
    SpendingRecord(
        id: id, funnelId: funnel.id, householdId: funnel.householdId, userId: user.id, amountMinor: amount,
        timestamp: timestamp, note: "", createdAt: testNow)
}

func count(_ storage: Stores, _ table: String) throws -> Int {
    try storage.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? -1 }
}

// MARK: - Shorthands: a record written or read as its author, through the stores' checked writes

extension SpendingStore {
    func create(_ spending: SpendingRecord, timestampChosen: Bool = true) async throws -> Creation {
        try await create(householdId: spending.householdId, userId: spending.userId, timestampChosen: timestampChosen) { _ in spending }
    }

    func update(_ spending: SpendingRecord) async throws {
        try await update(id: spending.id, householdId: spending.householdId, userId: spending.userId) { stored, _ in stored = spending }
    }

    func delete(_ spending: SpendingRecord) async throws {
        try await delete(id: spending.id, householdId: spending.householdId, userId: spending.userId) { _ in }
    }

    /// The spending if `userId` may see it.
    func visible(id: String, householdId: String, userId: String) async throws -> SpendingRecord? {
        do {
            return try await spending(id: id, householdId: householdId, userId: userId).0
        } catch StorageError.spendingNotFound {
            return nil
        }
    }

    /// What a list hands its sink, as records of the household (`createdAt` is not listed: 0).
    func list(householdId: String, userId: String, query: Query) async throws -> [SpendingRecord] {
        try await list(
            householdId: householdId, userId: userId, query: query, at: Date(timeIntervalSince1970: Double(testNow) / 1000),
            into: RecordSink(householdId: householdId)
        ).sink.records
    }
}

/// Collects listed rows as records.
struct RecordSink: SpendingRowSink {
    let householdId: String
    var records: [SpendingRecord] = []

    mutating func start(household: HouseholdRecord) {}

    mutating func append(_ row: SpendingRowView) {
        func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
        records.append(SpendingRecord(
            id: text(row.id), funnelId: text(row.funnelId), householdId: householdId, userId: text(row.userId),
            amountMinor: row.amountMinor, timestamp: row.timestamp, note: text(row.note), createdAt: 0))
    }
}

extension FunnelStore {
    func insert(_ funnel: FunnelRecord) async throws -> FunnelRecord {
        try await create(householdId: funnel.householdId, ownerId: funnel.ownerId) { _ in funnel }
    }

    func update(_ funnel: FunnelRecord) async throws {
        try await update(id: funnel.id, householdId: funnel.householdId, userId: funnel.ownerId, mayHideOthers: true) { stored, _ in stored = funnel }
    }

    func delete(_ funnel: FunnelRecord) async throws {
        try await delete(id: funnel.id, householdId: funnel.householdId, userId: funnel.ownerId, mayDeleteOthers: true) { _ in }
    }
}

extension Stores {
    /// The funnels `userId` sees, in list order.
    func visibleFunnels(householdId: String, userId: String) async throws -> [FunnelRecord] {
        try await database.pool.read { db in
            try FunnelStore.visibleInOrder(householdId: householdId, userId: userId, in: db)
        }
    }

    /// The funnel if `userId` may see it.
    func visibleFunnel(id: String, householdId: String, userId: String) async throws -> FunnelRecord? {
        try await visibleFunnels(householdId: householdId, userId: userId).first { $0.id == id }
    }
}
