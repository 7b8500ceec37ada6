import GRDB

/// Funnels and the sums of their spendings.
public struct FunnelStore: Sendable {
    let db: DatabasePool
    let versions: HouseholdVersions

    /// What `userID` may see in `householdID`: their personal funnels and the shared ones.
    static func visible(householdID: String, userID: String) -> QueryInterfaceRequest<FunnelRecord> {
        FunnelRecord.filter(
            Column("household_id") == householdID && (Column("shared") == true || Column("owner_id") == userID))
    }

    public func visibleFunnels(householdID: String, userID: String) async throws -> [FunnelRecord] {
        try await db.read { db in
            try Self.visible(householdID: householdID, userID: userID)
                .order(Column("position"), Column("created_at"))
                .fetchAll(db)
        }
    }

    public func funnel(id: String, householdID: String, userID: String) async throws -> FunnelRecord? {
        try await db.read { db in
            try Self.visible(householdID: householdID, userID: userID).filter(key: id).fetchOne(db)
        }
    }

    /// The funnels `userID` may see, each with its spendings' sum in [from, to), in one read.
    public func funnelsWithTotals(householdID: String, userID: String, from: Int64, to: Int64) async throws -> [(FunnelRecord, Int64)] {
        try await db.read { db in
            let funnels = try Self.visible(householdID: householdID, userID: userID)
                .order(Column("position"), Column("created_at"))
                .fetchAll(db)
            var totals: [(FunnelRecord, Int64)] = []
            totals.reserveCapacity(funnels.count)
            let statement = try db.cachedStatement(
                sql: "SELECT COALESCE(SUM(amount_minor), 0) FROM spending WHERE funnel_id = ? AND timestamp >= ? AND timestamp < ?")
            for funnel in funnels {
                let total = try Int64.fetchOne(statement, arguments: [funnel.id, from, to]) ?? 0
                totals.append((funnel, total))
            }
            return totals
        }
    }

    /// Sums per funnel over [from, to) for several periods at once: the history view.
    public func totals(funnelIDs: [String], ranges: [(from: Int64, to: Int64)]) async throws -> [[String: Int64]] {
        try await db.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT COALESCE(SUM(amount_minor), 0) FROM spending WHERE funnel_id = ? AND timestamp >= ? AND timestamp < ?")
            return try ranges.map { range in
                var sums: [String: Int64] = [:]
                for id in funnelIDs {
                    sums[id] = try Int64.fetchOne(statement, arguments: [id, range.from, range.to]) ?? 0
                }
                return sums
            }
        }
    }

    /// Stores a new funnel, placed after the household's last one.
    public func insert(_ funnel: FunnelRecord) async throws -> FunnelRecord {
        let stored = try await db.write { db -> FunnelRecord in
            var funnel = funnel
            let last = try Int.fetchOne(
                db, sql: "SELECT MAX(position) FROM funnel WHERE household_id = ?", arguments: [funnel.householdID])
            funnel.position = (last ?? -1) + 1
            try funnel.insert(db)
            return funnel
        }
        versions.advance([funnel.householdID])
        return stored
    }

    public func update(_ funnel: FunnelRecord) async throws {
        try await db.write { db in try funnel.update(db) }
        versions.advance([funnel.householdID])
    }

    /// Deletes the funnel and, in the same transaction, its spendings.
    public func delete(_ funnel: FunnelRecord) async throws {
        try await db.write { db in
            try SpendingRecord.filter(Column("funnel_id") == funnel.id).deleteAll(db)
            _ = try funnel.delete(db)
        }
        versions.advance([funnel.householdID])
    }

    /// Puts the given funnels first, in the given order; the others keep their relative order after them.
    public func reorder(householdID: String, userID: String, ids: [String]) async throws {
        try await db.write { db in
            let funnels = try Self.visible(householdID: householdID, userID: userID)
                .order(Column("position"), Column("created_at")).fetchAll(db)
            let known = Set(funnels.map(\.id))
            guard ids.allSatisfy(known.contains), Set(ids).count == ids.count else { throw StorageError.notFound }
            let ordered = ids + funnels.map(\.id).filter { !ids.contains($0) }
            for (position, id) in ordered.enumerated() {
                try db.execute(sql: "UPDATE funnel SET position = ? WHERE id = ?", arguments: [position, id])
            }
        }
        versions.advance([householdID])
    }
}
