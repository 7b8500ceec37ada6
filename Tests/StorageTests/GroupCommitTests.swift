import Dispatch
import Foundation
import GRDB
@testable import Storage
import Synchronization
import Testing

/// Writes waiting at one moment share one transaction; each is answered after that commit, with
/// its own outcome, or with the commit's error.
@Suite struct GroupCommitTests {
    /// Holds the database's writer until `release`, so that the writes sent meanwhile queue up
    /// and the test knows they meet in the next batches. The writer's own queue waits, never a
    /// thread of the concurrency pool (two on a 2-core machine, shared by every test).
    final class WriterHold: Sendable {
        private let released = DispatchSemaphore(value: 0)

        static func holding(_ pool: DatabasePool) async -> WriterHold {
            let hold = WriterHold()
            await withCheckedContinuation { (entered: CheckedContinuation<Void, Never>) in
                Task.detached { [released = hold.released] in
                    try? await pool.writeWithoutTransaction { _ in
                        entered.resume()
                        released.wait()
                    }
                }
            }
            return hold
        }

        func release() { released.signal() }
    }

    /// The size of every committed batch, in order.
    final class Batches: Sendable {
        private let sizes = Mutex<[Int]>([])
        init(_ commits: GroupCommit) {
            commits.observeBatches { [self] writes in sizes.withLock { $0.append(writes) } }
        }

        var all: [Int] { sizes.withLock { $0 } }
    }

    /// Starts `writes`, lets them queue behind the held writer, then lets the writer go. A first
    /// empty write takes the batch that is already waiting for the writer, so `writes` meet in the
    /// batches after it, in order.
    func whileTheWriterIsHeld<T: Sendable>(
        _ storage: Stores, _ writes: [@Sendable () async throws -> T]
    ) async throws -> [Result<T, any Error>] {
        let hold = await WriterHold.holding(storage.database.pool)
        let plug = Task { try await storage.database.groupCommit.write { _ in } }
        try await Task.sleep(for: .milliseconds(100))
        let tasks = writes.map { write in Task { () -> Result<T, any Error> in
            do { return .success(try await write()) } catch { return .failure(error) }
        } }
        try await Task.sleep(for: .milliseconds(300))
        hold.release()
        try await plug.value
        var results: [Result<T, any Error>] = []
        for task in tasks { results.append(await task.value) }
        return results
    }

    @Test func writesWaitingTogetherShareACommitOfAtMostTheLimit() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let batches = Batches(storage.database.groupCommit)
            let made = (0..<200).map { spending(in: f.shared, by: f.user, amount: Int64($0 + 1), at: testNow + Int64($0)) }
            let results = try await whileTheWriterIsHeld(storage, made.map { one in { try await storage.spendings.create(one) } })
            #expect(results.map { try? $0.get() } == made.map { .created($0) })
            #expect(try count(storage, "spending") == 200)
            #expect(batches.all == [1, 64, 64, 64, 8])
        }
    }

    @Test func aWriteThatFailsRollsBackAloneAndTheOthersCommit() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let feed = HouseholdChangeFeedTests.Collector(storage)
            let kept = [spending(in: f.shared, by: f.user, amount: 1, at: testNow), spending(in: f.shared, by: f.user, amount: 3, at: testNow)]
            let undone = spending(in: f.shared, by: f.user, amount: 2, at: testNow)
            let commits = storage.database.groupCommit
            let results = try await whileTheWriterIsHeld(storage, [
                { @Sendable in try await commits.write { db in try kept[0].insert(db) } },
                { @Sendable in try await commits.write { db in
                    try undone.insert(db)  // written, then refused: its savepoint takes it back
                    throw StorageError.conflict
                } },
                { @Sendable in try await commits.write { db in try kept[1].insert(db) } },
            ])
            #expect(results.map { (try? $0.get()) != nil } == [true, false, true])
            #expect(throws: StorageError.conflict) { try results[1].get() }
            let stored = try await storage.database.pool.read { db in try SpendingRecord.order(Column("amount_minor")).fetchAll(db) }
            #expect(stored.map(\.amountMinor) == [1, 3])
            // The live updates tell of the two that stayed, not of the one taken back.
            let told = feed.take().flatMap { $0 }.filter { $0.kind == .spendingCreated }.compactMap(\.id)
            #expect(Set(told) == Set(kept.map(\.id)))
        }
    }

    @Test func aCommitThatFailsFailsEveryWriteItHeld() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let feed = HouseholdChangeFeedTests.Collector(storage)
            let good = spending(in: f.shared, by: f.user, amount: 1, at: testNow)
            var orphan = spending(in: f.shared, by: f.user, amount: 2, at: testNow)
            orphan.funnelId = newID()
            let commits = storage.database.groupCommit
            let results = try await whileTheWriterIsHeld(storage, [
                { @Sendable in try await commits.write { db in try good.insert(db) } },
                { @Sendable [orphan] in try await commits.write { db in
                    // A foreign key checked at COMMIT: the write itself succeeds, the commit fails.
                    try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                    try orphan.insert(db)
                } },
            ])
            // The good one shared the failed commit: it is refused too, as it is not stored.
            #expect(results.map { (try? $0.get()) != nil } == [false, false])
            #expect(try count(storage, "spending") == 0)
            #expect(!feed.take().flatMap { $0 }.contains { $0.kind == .spendingCreated })
            // The failed commit left the writer usable.
            let after = spending(in: f.shared, by: f.user, amount: 4, at: testNow)
            #expect(try await storage.spendings.create(after) == .created(after))
        }
    }
}
