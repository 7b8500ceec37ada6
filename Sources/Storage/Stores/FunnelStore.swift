import GRDB

/// Funnels: each write checks, in its own transaction, that the caller may see the funnel.
public struct FunnelStore: Sendable {
    let db: DatabasePool

    /// `visible` (below) as SQL, for the raw statements of hot paths; its arguments: household id, user id.
    static let visibleSQL = "household_id = ? AND (shared OR owner_id = ?)"

    /// What `userId` may see in `householdId`: their personal funnels and the shared ones.
    static func visible(householdId: String, userId: String) -> QueryInterfaceRequest<FunnelRecord> {
        FunnelRecord.filter(
            FunnelRecord.Columns.householdId == householdId
                && (FunnelRecord.Columns.shared == true || FunnelRecord.Columns.ownerId == userId))
    }

    /// The same, in the order lists show them.
    /// Through a statement the connection keeps compiled: every view reads the funnels, and
    /// generating and preparing the query each time cost 400 000 instructions.
    static func visibleInOrder(householdId: String, userId: String, in db: Database) throws -> [FunnelRecord] {
        let statement = try db.cachedStatement(sql: "SELECT * FROM funnel WHERE \(visibleSQL) ORDER BY position, created_at")
        return try FunnelRecord.fetchAll(statement, arguments: [householdId, userId])
    }

    /// The funnel `id` if `userId` may see it, else `funnelNotFound`.
    static func holdsSpendings(of funnel: FunnelRecord, byOthersThan userId: String, in db: Database) throws -> Bool {
        try SpendingRecord
            .filter(SpendingRecord.Columns.funnelId == funnel.id && SpendingRecord.Columns.userId != userId)
            .isEmpty(db) == false
    }

    static func visibleFunnel(id: String, householdId: String, userId: String, in db: Database) throws -> FunnelRecord {
        guard let funnel = try visible(householdId: householdId, userId: userId).filter(key: id).fetchOne(db) else {
            throw StorageError.funnelNotFound
        }
        return funnel
    }

    /// Throws `funnelNotFound` unless `userId` may see the funnel `id` (as `visible` says), through
    /// a statement the connection keeps compiled (for writes on a hot path).
    static func checkVisible(id: String, householdId: String, userId: String, in db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM funnel WHERE id = ? AND \(visibleSQL)")
        guard try Bool.fetchOne(statement, arguments: [id, householdId, userId]) != nil else { throw StorageError.funnelNotFound }
    }

    /// Stores the funnel `make` builds from the household's currency exponent, placed after the
    /// household's last one.
    public func create(
        householdId: String, ownerId: String, _ make: @Sendable (_ exponent: Int) throws -> FunnelRecord
    ) async throws -> FunnelRecord {
        try await db.write { db in
            let household = try HouseholdStore.household(id: householdId, in: db)
            var funnel = try make(household.exponent)
            funnel.householdId = householdId
            funnel.ownerId = ownerId
            // MAX of no row is NULL, which fetchOne answers as nil.
            let last = try FunnelRecord.filter(FunnelRecord.Columns.householdId == householdId)
                .select(max(FunnelRecord.Columns.position), as: Int.self).fetchOne(db)
            funnel.position = (last ?? -1) + 1
            try funnel.insert(db)
            return funnel
        }
    }

    /// Applies `change` to the visible funnel `id` (it may refuse by throwing), with the
    /// household's currency exponent, in one transaction.
    @discardableResult
    ///
    /// Making a shared funnel personal hides its spendings from everyone but its creator; when
    /// some were recorded by others than the caller, only a caller with `mayHideOthers` (the
    /// household owner) may (`StorageError.holdsOthersSpendings`).
    public func update(
        id: String, householdId: String, userId: String, mayHideOthers: Bool,
        _ change: @Sendable (inout FunnelRecord, _ exponent: Int) throws -> Void
    ) async throws -> FunnelRecord {
        try await db.write { db in
            let stored = try Self.visibleFunnel(id: id, householdId: householdId, userId: userId, in: db)
            let household = try HouseholdStore.household(id: householdId, in: db)
            var funnel = stored
            try change(&funnel, household.exponent)
            precondition(funnel.id == stored.id && funnel.householdId == stored.householdId, "a funnel keeps its id and household")
            if stored.shared, !funnel.shared, !mayHideOthers, try Self.holdsSpendings(of: funnel, byOthersThan: userId, in: db) {
                throw StorageError.holdsOthersSpendings
            }
            try funnel.update(db)
            return funnel
        }
    }

    /// Deletes the visible funnel `id` and, in the same transaction, its spendings, unless
    /// `mayDelete` refuses it, or some were recorded by others than the caller and the caller
    /// lacks `mayDeleteOthers` (the household owner has it).
    public func delete(
        id: String, householdId: String, userId: String, mayDeleteOthers: Bool, _ mayDelete: @Sendable (FunnelRecord) throws -> Void
    ) async throws {
        try await db.write { db in
            let funnel = try Self.visibleFunnel(id: id, householdId: householdId, userId: userId, in: db)
            try mayDelete(funnel)
            if !mayDeleteOthers, try Self.holdsSpendings(of: funnel, byOthersThan: userId, in: db) {
                throw StorageError.holdsOthersSpendings
            }
            try SpendingRecord.filter(SpendingRecord.Columns.funnelId == funnel.id).deleteAll(db)
            _ = try funnel.delete(db)
        }
    }

    /// Puts the given funnels first, in the given order; the others keep their relative order after them.
    public func reorder(householdId: String, userId: String, ids: [String]) async throws {
        try await db.write { db in
            let funnels = try Self.visibleInOrder(householdId: householdId, userId: userId, in: db)
            let known = Set(funnels.map(\.id))
            guard ids.allSatisfy(known.contains), Set(ids).count == ids.count else { throw StorageError.funnelNotFound }
            let ordered = ids + funnels.map(\.id).filter { !ids.contains($0) }
            for (position, id) in ordered.enumerated() {
                try FunnelRecord.filter(key: id).updateAll(db, FunnelRecord.Columns.position.set(to: position))
            }
        }
    }
}
