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

    /// Where the previous page ended: the last row's place in the household's order.
    public struct ExportCursor: Sendable, Equatable {
        var timestamp: Int64
        var createdAt: Int64
        var id: String
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
            // "" sorts before every id: the first page starts before the first spending.
            let start = cursor ?? ExportCursor(timestamp: .min, createdAt: .min, id: "")
            let rows = try Row.fetchAll(
                db, sql: Self.exportPageSQL,
                arguments: [householdId, userId, start.timestamp, start.createdAt, start.id, limit])
            let page = rows.map { row in
                ExportRow(id: row[0], timestamp: row[1], amountMinor: row[2], funnelId: row[3], funnelName: row[4], userId: row[5], note: row[6])
            }
            let next = rows.count == limit ? rows.last.map { ExportCursor(timestamp: $0[1], createdAt: $0[7], id: $0[0]) } : nil
            return (household, page, next)
        }
    }

    /// One export page. Arguments: household, user, the cursor (timestamp, created_at, id), limit.
    /// The household's spendings are indexed in this order: the walk needs no sort and resumes
    /// where the last page stopped, also among spendings of the same instant.
    static let exportPageSQL = """
        SELECT s.id, s.timestamp, s.amount_minor, s.funnel_id, f.name, s.user_id, s.note, s.created_at
        FROM spending s INDEXED BY spending_listed_in_household_order
        JOIN funnel f ON f.id = s.funnel_id
        WHERE s.household_id = ? AND (f.shared OR f.owner_id = ?)
          AND (s.timestamp, s.created_at, s.id) > (?, ?, ?)
        ORDER BY s.timestamp, s.created_at, s.id
        LIMIT ?
        """
}
