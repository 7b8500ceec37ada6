import GRDB
import Synchronization

/// Group commit: the writes waiting at one moment share one transaction and so one sync of the
/// write-ahead log, and each is answered only after that commit.
///
/// With `synchronous=FULL` every commit waits for the disk; committing writes one by one caps a
/// server at the disk's syncs per second however many phones are recording. Here one task
/// drains a queue: it takes everything waiting (up to `batchLimit`), runs each write in its own
/// savepoint (a write that throws rolls back alone and gets its own error; the others go on),
/// commits once, then resumes every caller, with its own result, or with the commit's error if
/// the commit failed, so no write is ever acknowledged before it is durable. Writes arriving
/// during a commit wait for the next one.
public final class GroupCommit: Sendable {
    /// At most this many writes in one transaction: a batch stays short, and its household's
    /// live updates stay one event per change (HouseholdChangeTracking.Observer.detailLimit).
    public static let batchLimit = 64

    private struct State {
        var waiting: [any BatchedWrite] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let tracking: HouseholdChangeTracking.Observer?
    private let state = Mutex(State())
    private let batchObservers = Mutex<[@Sendable (_ writes: Int) -> Void]>([])

    init(pool: DatabasePool, tracking: HouseholdChangeTracking.Observer?) {
        self.pool = pool
        self.tracking = tracking
    }

    /// Runs `work` in the next group commit and answers its result once that commit is durable.
    /// `work` sees the writes committed before it and those batched ahead of it.
    public func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(PendingWrite(work: work, continuation: continuation))
        }
    }

    /// Calls `record` after every committed batch with the number of writes it held.
    public func observeBatches(_ record: @escaping @Sendable (_ writes: Int) -> Void) {
        batchObservers.withLock { $0.append(record) }
    }

    private func enqueue(_ write: any BatchedWrite) {
        let startDraining = state.withLock { state in
            state.waiting.append(write)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        // Its own task, not the first caller's: under a steady load the drain never ends, and
        // that caller would wait for everyone's commits.
        if startDraining { Task { await self.drain() } }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.waiting.prefix(Self.batchLimit))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await pool.write { [tracking] db in
                    for write in batch { write.run(in: db, tracking: tracking) }
                }
                for record in batchObservers.withLock({ $0 }) { record(batch.count) }
                for write in batch { write.finish(commitError: nil) }
            } catch {
                for write in batch { write.finish(commitError: error) }
            }
        }
    }
}

/// One caller's write waiting for its group commit.
private protocol BatchedWrite: Sendable {
    /// Runs the write in its own savepoint inside the batch's transaction, and keeps its outcome.
    func run(in db: Database, tracking: HouseholdChangeTracking.Observer?)
    /// Answers the caller: its kept outcome after the commit, or the commit's own error.
    func finish(commitError: (any Error)?)
}

private final class PendingWrite<T: Sendable>: BatchedWrite {
    let work: @Sendable (Database) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    /// Set on the writer's queue, read after the commit; the lock makes that provable.
    let outcome = Mutex<Result<T, any Error>?>(nil)

    init(work: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.work = work
        self.continuation = continuation
    }

    func run(in db: Database, tracking: HouseholdChangeTracking.Observer?) {
        // The changes this write tells the live updates of are forgotten with its savepoint.
        let mark = tracking?.checkpoint()
        let result: Result<T, any Error>
        do {
            var value: T?
            try db.inSavepoint {
                value = try work(db)
                return .commit
            }
            result = .success(value!)
        } catch {
            if let mark { tracking?.restore(mark) }
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
    }

    func finish(commitError: (any Error)?) {
        if let commitError { return continuation.resume(throwing: commitError) }
        // A committed batch ran every one of its writes: `drain` calls `run` on each, and `run`
        // never throws.
        guard let result = outcome.withLock({ $0 }) else { preconditionFailure("a committed write that never ran") }
        continuation.resume(with: result)
    }
}
