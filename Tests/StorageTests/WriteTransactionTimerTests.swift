import GRDB
@testable import Storage
import Synchronization
import Testing

/// The write-transaction durations behind /metrics' database_write_duration_seconds.
@Suite struct WriteTransactionTimerTests {
    @Test func everyCommittedTransactionIsTimedOnceAndAnUndoneOneNot() async throws {
        try await withStorage { storage in
            let durations = Mutex<[Duration]>([])
            storage.database.observeWriteTransactions { duration in durations.withLock { $0.append(duration) } }
            let pool = storage.database.pool
            try await pool.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
            #expect(durations.withLock { $0.count } == 1)

            // A savepoint rolled back inside a transaction that commits: still one, timed to its commit.
            try await pool.write { db in
                try db.inSavepoint {
                    try db.execute(sql: "INSERT INTO t VALUES (1)")
                    return .rollback
                }
                try db.execute(sql: "INSERT INTO t VALUES (2)")
            }
            #expect(durations.withLock { $0.count } == 2)

            // A transaction that fails and is rolled back is not a write.
            await #expect(throws: (any Error).self) {
                try await pool.write { db in
                    try db.execute(sql: "INSERT INTO t VALUES (3)")
                    throw StorageError.conflict
                }
            }
            // Reads and statements outside a transaction are not timed either.
            _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") }
            #expect(durations.withLock { $0.count } == 2)
            #expect(durations.withLock { $0.allSatisfy { $0 >= .zero } })
            #expect(try await pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t") } == [2])
        }
    }
}
