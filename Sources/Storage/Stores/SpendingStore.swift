import GRDB

/// Spendings, always read through the funnels their reader may see.
public struct SpendingStore: Sendable {
    let db: DatabasePool
    let versions: HouseholdVersions

    public enum Creation: Sendable, Equatable {
        case created(SpendingRecord)
        /// The same id was already stored with the same content: the create is a retry.
        case existing(SpendingRecord)
    }

    /// A page of spendings: newest first.
    public struct Query: Sendable {
        public var from: Int64
        public var to: Int64
        public var before: Int64?
        public var funnelID: String?
        public var limit: Int

        public init(from: Int64, to: Int64, before: Int64? = nil, funnelID: String? = nil, limit: Int) {
            self.from = from
            self.to = to
            self.before = before
            self.funnelID = funnelID
            self.limit = limit
        }
    }

    /// Stores the spending unless its id exists: a retry with the same content answers
    /// `.existing`, a different content under the same id throws `conflict`.
    public func create(_ spending: SpendingRecord, timestampChosen: Bool = true) async throws -> Creation {
        let creation = try await db.write { db -> Creation in
            if let stored = try SpendingRecord.fetchOne(db, key: spending.id) {
                guard stored.hasSameContent(as: spending, timestampChosen: timestampChosen) else { throw StorageError.conflict }
                return .existing(stored)
            }
            try spending.insert(db)
            return .created(spending)
        }
        if case .created = creation {
            versions.advance([spending.householdID])
        }
        return creation
    }

    public func spending(id: String, householdID: String, userID: String) async throws -> SpendingRecord? {
        try await db.read { db in
            try SpendingRecord
                .filter(key: id)
                .filter(FunnelStore.visible(householdID: householdID, userID: userID).select(Column("id")).contains(Column("funnel_id")))
                .fetchOne(db)
        }
    }

    public func update(_ spending: SpendingRecord) async throws {
        try await db.write { db in try spending.update(db) }
        versions.advance([spending.householdID])
    }

    public func delete(_ spending: SpendingRecord) async throws {
        try await db.write { db in _ = try spending.delete(db) }
        versions.advance([spending.householdID])
    }

    /// The spendings in the funnels `userID` may see, newest first.
    public func list(householdID: String, userID: String, query: Query) async throws -> [SpendingRecord] {
        try await db.read { db in
            let funnelIDs = try FunnelStore.visible(householdID: householdID, userID: userID)
                .select(Column("id"), as: String.self).fetchAll(db)
            var request = SpendingRecord
                .filter(Column("household_id") == householdID)
                .filter(Column("timestamp") >= query.from && Column("timestamp") < query.to)
            if let funnelID = query.funnelID {
                guard funnelIDs.contains(funnelID) else { return [] }
                request = request.filter(Column("funnel_id") == funnelID)
            } else {
                request = request.filter(funnelIDs.contains(Column("funnel_id")))
            }
            if let before = query.before {
                request = request.filter(Column("timestamp") < before)
            }
            return try request
                .order(Column("timestamp").desc, Column("created_at").desc, Column("id").desc)
                .limit(query.limit)
                .fetchAll(db)
        }
    }
}

extension SpendingStore {
    /// The newest spendings in the given funnels of a household. Walks the household's
    /// timestamp index backwards (the funnel index would sort every spending ever made).
    public func recent(householdID: String, funnelIDs: [String], limit: Int) async throws -> [SpendingRecord] {
        guard !funnelIDs.isEmpty else { return [] }
        return try await db.read { db in
            let placeholders = databaseQuestionMarks(count: funnelIDs.count)
            return try SpendingRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM spending INDEXED BY spending_on_household_timestamp
                    WHERE household_id = ? AND funnel_id IN (\(placeholders))
                    ORDER BY timestamp DESC, created_at DESC, id DESC LIMIT ?
                    """,
                arguments: StatementArguments([householdID] + funnelIDs) + [limit])
        }
    }
}
