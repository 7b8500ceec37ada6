import GRDB

extension SpendingStore {
    /// One exported spending: what a row of the export holds, with the funnel's name.
    public struct ExportRow: Sendable, Equatable {
        public var id: String
        public var timestamp: Int64
        public var amountMinor: Int64
        public var funnelId: String
        public var funnelName: String
        public var userId: String
        public var note: String
    }

    /// Where the previous page ended: the last row's instant and rowid.
    public struct ExportCursor: Sendable, Equatable {
        var timestamp: Int64
        var rowid: Int64
    }

    /// The next `limit` spendings `userId` may see, oldest first, after `cursor` (from the first
    /// when nil), with the household. Each page is its own short read, so that an export of
    /// years never holds a transaction open (or the whole answer in memory); a spending changed
    /// while it runs shows as it was when its page was read.
    public func exportPage(
        householdId: String, userId: String, after cursor: ExportCursor?, limit: Int
    ) async throws -> (household: HouseholdRecord, rows: [ExportRow], next: ExportCursor?) {
        try await db.read { db in
            let household = try HouseholdStore.household(id: householdId, in: db)
            let start = cursor ?? ExportCursor(timestamp: .min, rowid: .min)
            // (household_id, timestamp) is indexed, and an index orders equal keys by rowid:
            // the walk needs no sort and resumes where the last page stopped.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.rowid, s.id, s.timestamp, s.amount_minor, s.funnel_id, f.name, s.user_id, s.note
                    FROM spending s INDEXED BY spending_on_household_timestamp
                    JOIN funnel f ON f.id = s.funnel_id
                    WHERE s.household_id = ? AND (f.shared OR f.owner_id = ?)
                      AND s.timestamp >= ? AND (s.timestamp > ? OR s.rowid > ?)
                    ORDER BY s.timestamp, s.rowid
                    LIMIT ?
                    """,
                arguments: [householdId, userId, start.timestamp, start.timestamp, start.rowid, limit])
            let page = rows.map { row in
                ExportRow(id: row[1], timestamp: row[2], amountMinor: row[3], funnelId: row[4], funnelName: row[5], userId: row[6], note: row[7])
            }
            let next = rows.count == limit ? rows.last.map { ExportCursor(timestamp: $0[2], rowid: $0[0]) } : nil
            return (household, page, next)
        }
    }
}
