import Foundation
import GRDB
import Storage
import Synchronization
import Testing

@Suite struct FunnelStoreTests {
    @Test func aFunnelPeriodTotalIsAnIndexRangeScan() async throws {
        try await withStorage { storage in
            let fixture = try await makeFixture(storage)
            // The statement FunnelStore runs for each funnel's period total.
            let plan = try await storage.database.pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: "EXPLAIN QUERY PLAN SELECT COALESCE(SUM(amount_minor), 0) FROM spending WHERE funnel_id = ? AND timestamp >= ? AND timestamp < ?",
                    arguments: [fixture.shared.id, 0, testNow]
                ).map { $0["detail"] as String }
            }
            let text = plan.joined(separator: "\n")
            #expect(text.contains("spending_on_funnel_timestamp"), "\(text)")
            #expect(text.contains("COVERING INDEX"), "the sum should not touch the table: \(text)")
            #expect(!text.contains("SCAN spending"), "\(text)")
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
            let totals = try await storage.funnels.funnelsWithTotals(householdID: f.household.id, userID: f.user.id, from: testNow - 10 * day, to: testNow + day)
            #expect(totals.map(\.0.id) == [f.shared.id, f.personal.id])
            #expect(totals.map(\.1) == [1_200, 700])
            // The upper bound is exclusive.
            let upTo = try await storage.funnels.funnelsWithTotals(householdID: f.household.id, userID: f.user.id, from: testNow - 10 * day, to: testNow)
            #expect(upTo.map(\.1) == [1_000, 0])
            let history = try await storage.funnels.totals(
                funnelIDs: [f.shared.id], ranges: [(from: testNow - 50 * day, to: testNow - 30 * day), (from: testNow, to: testNow + day)])
            #expect(history == [[f.shared.id: 9_999], [f.shared.id: 200]])
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
            #expect(try await storage.funnels.funnel(id: f.shared.id, householdID: f.household.id, userID: f.user.id) == nil)
            #expect(try await storage.spendings.spending(id: kept.id, householdID: f.household.id, userID: f.user.id) == kept)
        }
    }

    @Test func visibilityIsPersonalPlusShared() async throws {
        try await withStorage { storage in
            let a = try await makeFixture(storage, username: "alice")
            let b = try await makeFixture(storage, username: "bob")
            let seen = try await storage.funnels.visibleFunnels(householdID: a.household.id, userID: a.user.id)
            #expect(seen.map(\.id) == [a.shared.id, a.personal.id])
            // Another household's member, or a wrong household, sees nothing of them.
            #expect(try await storage.funnels.funnel(id: a.shared.id, householdID: b.household.id, userID: b.user.id) == nil)
            #expect(try await storage.funnels.funnel(id: a.personal.id, householdID: a.household.id, userID: b.user.id) == nil)
            #expect(try await storage.funnels.funnel(id: a.shared.id, householdID: a.household.id, userID: b.user.id) != nil)

            let s = spending(in: a.personal, by: a.user, amount: 5, at: testNow)
            _ = try await storage.spendings.create(s)
            #expect(try await storage.spendings.spending(id: s.id, householdID: b.household.id, userID: b.user.id) == nil)
            let listed = try await storage.spendings.list(
                householdID: b.household.id, userID: b.user.id, query: .init(from: 0, to: .max, limit: 100))
            #expect(listed.isEmpty)
        }
    }

    @Test func insertPlacesAFunnelLastAndReorderMovesIt() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let third = try await storage.funnels.insert(
                FunnelRecord(
                    id: newID(), householdID: f.household.id, ownerID: f.user.id, shared: false, name: "Third",
                    limitMinor: 0, color: "#000000", emoji: "🎁", position: 0, createdAt: testNow))
            #expect(third.position == 2)
            try await storage.funnels.reorder(householdID: f.household.id, userID: f.user.id, ids: [third.id])
            let ordered = try await storage.funnels.visibleFunnels(householdID: f.household.id, userID: f.user.id)
            #expect(ordered.map(\.id) == [third.id, f.shared.id, f.personal.id])
            await #expect(throws: StorageError.notFound) {
                try await storage.funnels.reorder(householdID: f.household.id, userID: f.user.id, ids: [newID()])
            }
        }
    }

    @Test func writesAdvanceTheHouseholdVersion() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            var version = storage.versions.version(of: f.household.id)
            func advanced() -> Bool {
                let next = storage.versions.version(of: f.household.id)
                defer { version = next }
                return next > version
            }
            var funnel = f.shared
            funnel.limitMinor = 1
            try await storage.funnels.update(funnel)
            #expect(advanced())
            var s = spending(in: f.shared, by: f.user, amount: 1, at: testNow)
            _ = try await storage.spendings.create(s)
            #expect(advanced())
            s.amountMinor = 2
            try await storage.spendings.update(s)
            #expect(advanced())
            try await storage.spendings.delete(s)
            #expect(advanced())
            var household = f.household
            household.periodStartDay = 15
            try await storage.households.update(household)
            #expect(advanced())
            try await storage.funnels.delete(f.personal)
            #expect(advanced())
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
