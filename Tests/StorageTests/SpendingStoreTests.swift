import Foundation
@testable import Storage
import Testing

@Suite struct SpendingStoreTests {
    @Test func anIdempotentCreateStoresOnceAndRefusesOtherContent() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let first = spending(in: f.shared, by: f.user, amount: 1_250, at: testNow)
            #expect(try await storage.spendings.create(first) == .created(first))
            var retry = first
            retry.createdAt += 5_000  // stamped by the server: not content
            #expect(try await storage.spendings.create(retry) == .existing(first))
            var other = first
            other.amountMinor = 1_251
            await #expect(throws: StorageError.conflict) { try await storage.spendings.create(other) }
            #expect(try count(storage, "spending") == 1)
        }
    }

    @Test func aThousandConcurrentRetriesStoreOne() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let one = spending(in: f.shared, by: f.user, amount: 999, at: testNow)
            let outcomes = try await withThrowingTaskGroup(of: SpendingStore.Creation.self) { group in
                for _ in 0..<1_000 {
                    group.addTask { try await storage.spendings.create(one) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 1_000)
            #expect(outcomes.filter { $0 == .created(one) }.count == 1)
            #expect(outcomes.filter { $0 == .existing(one) }.count == 999)
            #expect(try count(storage, "spending") == 1)
        }
    }

    @Test func listPagesNewestFirstWithinBounds() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            var made: [SpendingRecord] = []
            for index in 0..<10 {
                let funnel = index.isMultiple(of: 2) ? f.shared : f.personal
                let s = spending(in: funnel, by: f.user, amount: Int64(index + 1), at: testNow + Int64(index) * 1_000)
                _ = try await storage.spendings.create(s)
                made.append(s)
            }
            func list(_ query: SpendingStore.Query) async throws -> [Int64] {
                try await storage.spendings.list(householdId: f.household.id, userId: f.user.id, query: query).map(\.amountMinor)
            }
            #expect(try await list(.init(from: 0, to: .max, limit: 100)) == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
            #expect(try await list(.init(from: 0, to: .max, limit: 3)) == [10, 9, 8])
            #expect(try await list(.init(from: 0, to: .max, before: testNow + 7_000, limit: 3)) == [7, 6, 5])
            #expect(try await list(.init(from: testNow + 2_000, to: testNow + 5_000, limit: 100)) == [5, 4, 3])
            #expect(try await list(.init(from: 0, to: .max, funnelId: f.personal.id, limit: 100)) == [10, 8, 6, 4, 2])
            let recent = { (funnelIds: [String], until: Int64) in
                try await storage.database.pool.read { db in
                    try SnapshotStore.recent(householdId: f.household.id, funnelIds: funnelIds, until: until, limit: 2, in: db)
                }
            }
            #expect(try await recent([f.shared.id], .max).map(\.amountMinor) == [9, 7])
            #expect(try await recent([], .max).isEmpty)
            // "Recent" ends at its horizon: a spending dated later does not pin the list.
            #expect(try await recent([f.shared.id], testNow + 7_999).map(\.amountMinor) == [7, 5])
        }
    }
}
