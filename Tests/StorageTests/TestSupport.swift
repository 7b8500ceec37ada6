import Foundation
import GRDB
import Storage

/// A fresh database file in its own temporary folder, removed when `body` ends.
func withStorage<T>(_ body: (Storage) async throws -> T) async throws -> T {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let storage = try Storage(database: StrackerDatabase(path: folder.databasePath))
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

func makeFixture(_ storage: Storage, username: String = "alice") async throws -> Fixture {
    let householdID = newID()
    let userID = newID()
    let household = HouseholdRecord(
        id: householdID, name: "\(username)'s household", currency: "EUR", periodStartDay: 1, timeZone: "UTC",
        createdAt: testNow)
    func funnel(_ name: String, shared: Bool, position: Int) -> FunnelRecord {
        FunnelRecord(
            id: newID(), householdID: householdID, ownerID: userID, shared: shared, name: name, limitMinor: 200_000,
            color: "#ffa500", emoji: "🍞", position: position, createdAt: testNow)
    }
    let shared = funnel("Food", shared: true, position: 0)
    let personal = funnel("Mine", shared: false, position: 1)
    let session = DeviceSessionRecord(id: newID(), userID: userID, name: "test", createdAt: testNow, refreshTokenID: newID())
    let user = try await storage.accounts.register(
        UserRecord(
            id: userID, username: username, otpSecretSealed: Data([1, 2, 3]), lastOTPStep: nil, householdID: "",
            role: .owner, createdAt: testNow),
        placement: .newHousehold(household, funnels: [shared, personal]), session: session, now: testNow)
    return Fixture(user: user, household: household, session: session, shared: shared, personal: personal)
}

func spending(in funnel: FunnelRecord, by user: UserRecord, amount: Int64, at timestamp: Int64, id: String = newID()) -> SpendingRecord {
    SpendingRecord(
        id: id, funnelID: funnel.id, householdID: funnel.householdID, userID: user.id, amountMinor: amount,
        timestamp: timestamp, note: "", createdAt: testNow)
}

func count(_ storage: Storage, _ table: String) throws -> Int {
    try storage.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? -1 }
}
