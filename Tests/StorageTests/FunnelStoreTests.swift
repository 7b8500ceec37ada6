import Foundation
import GRDB
@testable import Storage
import Synchronization
import Testing

@Suite struct FunnelStoreTests {
    @Test(arguments: [1, 12])
    func periodTotalsAreIndexRangeScans(intervals: Int) async throws {
        try await withStorage { storage in
            let fixture = try await makeFixture(storage)
            // The statement behind every view's totals, for one period and for a history: one
            // index range per (period, funnel), no scan, no sort.
            let plan = try await storage.database.pool.read { db in
                try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN " + SnapshotStore.sumsStatement(funnelCount: 2, intervals: intervals),
                    arguments: StatementArguments((0..<intervals).flatMap { [Int64($0), 0, testNow] })
                        + [fixture.shared.id, fixture.personal.id]
                ).map { $0["detail"] as String }
            }
            let text = plan.joined(separator: "\n")
            #expect(text.contains("spending_on_funnel_timestamp"), "\(text)")
            #expect(text.contains("COVERING INDEX"), "the sum should not touch the table: \(text)")
            #expect(!text.contains("SCAN spending"), "\(text)")
            #expect(!text.contains("TEMP B-TREE"), "\(text)")
        }
    }

    @Test func totalsSumOnlyTheFunnelAndPeriod() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let day: Int64 = 86_400_000
            for (funnel, amount, timestamp) in [
                (f.shared, 1_000, testNow - day), (f.shared, 250, testNow), (f.shared, -50, testNow + 1),
                (f.shared, 9_999, testNow - 40 * day), (f.personal, 700, testNow),
            ] {
                _ = try await storage.spendings.create(spending(in: funnel, by: f.user, amount: Int64(amount), at: timestamp))
            }
            let ids = [f.shared.id, f.personal.id]
            let sums = { (boundaries: [Int64]) in
                try await storage.database.pool.read { db in try SnapshotStore.sums(householdId: f.household.id, funnelIds: ids, boundaries: boundaries, in: db) }
            }
            #expect(try await sums([testNow - 10 * day, testNow + day]) == [[f.shared.id: 1_200, f.personal.id: 700]])
            // The upper bound is exclusive, and a funnel with nothing spent is absent.
            #expect(try await sums([testNow - 10 * day, testNow]) == [[f.shared.id: 1_000]])
            // Several periods in one statement: each bound belongs to the interval it starts.
            #expect(try await sums([testNow - 50 * day, testNow - 30 * day, testNow, testNow + day]) == [
                [f.shared.id: 9_999], [f.shared.id: 1_000], [f.shared.id: 200, f.personal.id: 700],
            ])
            #expect(try await sums([testNow]) == [])
        }
    }

    @Test func deletingAFunnelDeletesItsSpendingsInTheSameTransaction() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            for amount in [100, 200, 300] as [Int64] {
                _ = try await storage.spendings.create(spending(in: f.shared, by: f.user, amount: amount, at: testNow))
            }
            let kept = spending(in: f.personal, by: f.user, amount: 42, at: testNow)
            _ = try await storage.spendings.create(kept)

            let observer = CommitRecorder()
            storage.database.pool.add(transactionObserver: observer)
            try await storage.funnels.delete(f.shared)
            storage.database.pool.remove(transactionObserver: observer)

            let commits = observer.commits
            #expect(commits.count == 1, "one transaction: \(commits)")
            #expect(commits.first?["spending"] == 3)
            #expect(commits.first?["funnel"] == 1)
            #expect(try count(storage, "spending") == 1)
            #expect(try await storage.visibleFunnel(id: f.shared.id, householdId: f.household.id, userId: f.user.id) == nil)
            #expect(try await storage.spendings.visible(id: kept.id, householdId: f.household.id, userId: f.user.id) == kept)
        }
    }

    @Test func visibilityIsPersonalPlusShared() async throws {
        try await withStorage { storage in
            let a = try await makeFixture(storage, username: "alice")
            let b = try await makeFixture(storage, username: "bob")
            let seen = try await storage.visibleFunnels(householdId: a.household.id, userId: a.user.id)
            #expect(seen.map(\.id) == [a.shared.id, a.personal.id])
            // Another household's member, or a wrong household, sees nothing of them.
            #expect(try await storage.visibleFunnel(id: a.shared.id, householdId: b.household.id, userId: b.user.id) == nil)
            #expect(try await storage.visibleFunnel(id: a.personal.id, householdId: a.household.id, userId: b.user.id) == nil)
            #expect(try await storage.visibleFunnel(id: a.shared.id, householdId: a.household.id, userId: b.user.id) != nil)

            let s = spending(in: a.personal, by: a.user, amount: 5, at: testNow)
            _ = try await storage.spendings.create(s)
            #expect(try await storage.spendings.visible(id: s.id, householdId: b.household.id, userId: b.user.id) == nil)
            let listed = try await storage.spendings.list(
                householdId: b.household.id, userId: b.user.id, query: .init(from: 0, to: .max, limit: 100))
            #expect(listed.isEmpty)
        }
    }

    @Test func insertPlacesAFunnelLastAndReorderMovesIt() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let third = try await storage.funnels.insert(
                FunnelRecord(
                    id: newID(), householdId: f.household.id, ownerId: f.user.id, shared: false, name: "Third",
                    limitMinor: 0, color: "#000000", emoji: "🎁", position: 0, createdAt: testNow))
            #expect(third.position == 2)
            try await storage.funnels.reorder(householdId: f.household.id, userId: f.user.id, ids: [third.id])
            let ordered = try await storage.visibleFunnels(householdId: f.household.id, userId: f.user.id)
            #expect(ordered.map(\.id) == [third.id, f.shared.id, f.personal.id])
            await #expect(throws: StorageError.funnelNotFound) {
                try await storage.funnels.reorder(householdId: f.household.id, userId: f.user.id, ids: [newID()])
            }
        }
    }
}

/// Counts, per commit, the rows each table saw change.
final class CommitRecorder: TransactionObserver, Sendable {
    private let state = Mutex<(pending: [String: Int], commits: [[String: Int]])>(([:], []))

    var commits: [[String: Int]] { state.withLock { $0.commits } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }

    func databaseDidChange(with event: DatabaseEvent) {
        let table = event.tableName
        state.withLock { $0.pending[table, default: 0] += 1 }
    }

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            state.commits.append(state.pending)
            state.pending = [:]
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.pending = [:] }
    }
}
