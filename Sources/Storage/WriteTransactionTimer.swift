import Glibc
import GRDB
import GRDBSQLite

/// Times every write transaction from the end of its BEGIN to the end of its COMMIT (which
/// syncs the write-ahead log), from SQLite's profile trace of the writer connection.
///
/// Installed with `sqlite3_trace_v2` itself rather than GRDB's `Database.trace`: GRDB's event
/// hands the statement's SQL as a trimmed Swift String, built for every statement the writer
/// runs, which cost 5 % of the server's CPU under a load of POST /spending/. Here the first bytes
/// of SQLite's own text are compared, and nothing is allocated.
final class WriteTransactionTimer {
    private let record: @Sendable (Duration) -> Void
    /// Touched only by the trace, which runs on the writer's queue, one statement at a time.
    private var began: ContinuousClock.Instant?

    private init(record: @escaping @Sendable (Duration) -> Void) {
        self.record = record
    }

    /// Starts timing the transactions of `db` (the writer). The timer lives as long as the
    /// process: the writer connection is never closed before the process ends.
    static func install(on db: Database, record: @escaping @Sendable (Duration) -> Void) {
        let context = Unmanaged.passRetained(WriteTransactionTimer(record: record)).toOpaque()
        sqlite3_trace_v2(db.sqliteConnection, UInt32(SQLITE_TRACE_PROFILE), { _, context, statement, _ in
            guard let context, let statement, let sql = sqlite3_sql(OpaquePointer(statement)) else { return 0 }
            Unmanaged<WriteTransactionTimer>.fromOpaque(context).takeUnretainedValue().finished(sql)
            return 0
        }, context)
    }

    private func finished(_ sql: UnsafePointer<CChar>) {
        if strncmp(sql, "BEGIN", 5) == 0 {
            began = .now
        } else if strncmp(sql, "COMMIT", 6) == 0 {
            if let began { record(.now - began) }
            began = nil
        } else if strncmp(sql, "ROLLBACK", 8) == 0, strncmp(sql, "ROLLBACK TRANSACTION TO", 23) != 0 {
            // The whole transaction is undone (a savepoint's rollback leaves it going on).
            began = nil
        }
    }
}
