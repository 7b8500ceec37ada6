import Foundation
import GRDB
import GRDBSQLite

/// One listed spending as SQLite holds it, lent to a `SpendingRowSink` for one call: the text
/// columns are SQLite's own UTF-8 bytes, valid only until the sink returns.
public struct SpendingRowView {
    public let id: UnsafeRawBufferPointer
    public let funnelId: UnsafeRawBufferPointer
    public let userId: UnsafeRawBufferPointer
    public let note: UnsafeRawBufferPointer
    public let amountMinor: Int64
    public let timestamp: Int64
    public let hasReceipt: Bool

    public init(
        id: UnsafeRawBufferPointer, funnelId: UnsafeRawBufferPointer, userId: UnsafeRawBufferPointer, note: UnsafeRawBufferPointer,
        amountMinor: Int64, timestamp: Int64, hasReceipt: Bool
    ) {
        self.id = id
        self.funnelId = funnelId
        self.userId = userId
        self.note = note
        self.amountMinor = amountMinor
        self.timestamp = timestamp
        self.hasReceipt = hasReceipt
    }
}

/// What a list is written into, row by row, inside the read (the JSON of GET /spending/).
public protocol SpendingRowSink: Sendable {
    /// Before the first row: the household the amounts' currency is of.
    mutating func start(household: HouseholdRecord)
    mutating func append(_ row: SpendingRowView)
}

extension SpendingStore {
    /// The spendings in the funnels `userId` may see, newest first (by time, then the later
    /// stored, then id), handed to `sink` one by one in one read, with their household (whose
    /// currency the amounts are in). No record and no String is made per row: a page of 5 000
    /// costs little more than SQLite's own steps.
    public func list<Sink: SpendingRowSink>(
        householdId: String, userId: String, query: Query, at now: Date, into sink: Sink
    ) async throws -> (sink: Sink, household: HouseholdRecord) {
        try await db.read { db in
            let household = try HouseholdStore.household(id: householdId, in: db)
            let from = query.from ?? household.periodRule.period(containing: now).startMillis
            var arguments: StatementArguments = [householdId, from, min(query.to, query.before ?? .max)]
            if let funnelId = query.funnelId {
                _ = try FunnelStore.visibleFunnel(id: funnelId, householdId: householdId, userId: userId, in: db)
                arguments += [funnelId]
            } else {
                arguments += [householdId, userId]
            }
            arguments += [query.limit]
            let statement = try db.cachedStatement(sql: Self.listSQL(oneFunnel: query.funnelId != nil))
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            let raw = statement.sqliteStatement
            var sink = sink
            sink.start(household: household)
            while try rows.next() != nil {
                sink.append(SpendingRowView(
                    id: text(raw, 0), funnelId: text(raw, 1), userId: text(raw, 2), note: text(raw, 3),
                    amountMinor: sqlite3_column_int64(raw, 4), timestamp: sqlite3_column_int64(raw, 5),
                    hasReceipt: sqlite3_column_int(raw, 6) != 0))
            }
            return (sink, household)
        }
    }
}

extension SpendingStore {
    /// The list's statement. Arguments: household, from, to, then the funnel id (`oneFunnel`) or
    /// the household and user again (every funnel the user may see), then the limit. The
    /// household's index holds this order, so the newest rows come first without a sort.
    static func listSQL(oneFunnel: Bool) -> String {
        let funnels = oneFunnel ? "funnel_id = ?" : "funnel_id IN (SELECT id FROM funnel WHERE \(FunnelStore.visibleSQL))"
        return """
            SELECT id, funnel_id, user_id, note, amount_minor, timestamp, id IN (SELECT spending_id FROM receipt)
            FROM spending
            WHERE household_id = ? AND timestamp >= ? AND timestamp < ? AND \(funnels)
            ORDER BY timestamp DESC, created_at DESC, id DESC
            LIMIT ?
            """
    }
}

/// A text column's bytes in the current row (SQLite's documented order: the text, then its length).
private func text(_ statement: SQLiteStatement, _ column: Int32) -> UnsafeRawBufferPointer {
    guard let bytes = sqlite3_column_text(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column)))
}
