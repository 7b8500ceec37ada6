import GRDB

/// Households, their members and invites.
public struct HouseholdStore: Sendable {
    let db: DatabasePool
    let directory: MemberDirectory

    /// A household with its members, longest-standing first.
    public struct Members: Sendable {
        public let household: HouseholdRecord
        public let members: [UserRecord]
    }

    /// Through a statement the connection keeps compiled: almost every read and write asks for it.
    static func household(id: String, in db: Database) throws -> HouseholdRecord {
        let statement = try db.cachedStatement(sql: "SELECT * FROM household WHERE id = ?")
        guard let household = try HouseholdRecord.fetchOne(statement, arguments: [id]) else { throw StorageError.householdNotFound }
        return household
    }

    static func members(of householdId: String, in db: Database) throws -> [UserRecord] {
        try UserRecord.filter(UserRecord.Columns.householdId == householdId).order(UserRecord.Columns.createdAt).fetchAll(db)
    }

    /// A new household's first funnels, owned by `ownerId`.
    static func insert(funnels: [FunnelRecord], householdId: String, ownerId: String, in db: Database) throws {
        for var funnel in funnels {
            funnel.householdId = householdId
            funnel.ownerId = ownerId
            try funnel.insert(db)
        }
    }

    public func members(of householdId: String) async throws -> Members {
        try await db.read { db in
            Members(household: try Self.household(id: householdId, in: db), members: try Self.members(of: householdId, in: db))
        }
    }

    /// Applies `change` to the household (it may refuse by throwing) and answers it as stored,
    /// with its members, in one transaction.
    public func update(id: String, _ change: @Sendable (inout HouseholdRecord) throws -> Void) async throws -> Members {
        try await db.write { db in
            var household = try Self.household(id: id, in: db)
            try change(&household)
            precondition(household.id == id, "a household keeps its id")
            try household.update(db)
            return Members(household: household, members: try Self.members(of: id, in: db))
        }
    }

    public func createInvite(_ invite: InviteRecord) async throws {
        try await db.write { db in try invite.insert(db) }
    }

    /// Moves the member of `householdId` whose username key is `usernameKey` (see `UserRecord.key`)
    /// out into the new household `start` makes for them (with its first funnels): the member's
    /// personal funnels (and their spendings) go; their spendings in shared funnels stay, still
    /// attributed to them. If the owner leaves, the longest-standing member becomes owner.
    /// Refuses (`lastMember`) to empty a household, and `mayMove` may refuse the member found.
    public func move(
        usernameKey: String, outOf householdId: String,
        into start: @Sendable (UserRecord) -> (household: HouseholdRecord, funnels: [FunnelRecord]),
        _ mayMove: @Sendable (UserRecord) throws -> Void = { _ in }
    ) async throws {
        let changed = try await db.write { db -> [UserRecord] in
            guard var user = try UserRecord.filter(UserRecord.Columns.usernameKey == usernameKey).fetchOne(db),
                user.householdId == householdId
            else { throw StorageError.memberNotFound }
            try mayMove(user)
            let others = try Self.members(of: householdId, in: db).filter { $0.id != user.id }
            guard var successor = others.first else { throw StorageError.lastMember }
            try FunnelRecord
                .filter(FunnelRecord.Columns.householdId == householdId && FunnelRecord.Columns.ownerId == user.id
                    && FunnelRecord.Columns.shared == false)
                .deleteAll(db)
            // Shared funnels the leaver created stay with the household, owned by someone still in it.
            var changed: [UserRecord] = []
            if user.role == .owner {
                successor.role = .owner
                try successor.update(db)
                changed.append(successor)
            }
            try FunnelRecord
                .filter(FunnelRecord.Columns.householdId == householdId && FunnelRecord.Columns.ownerId == user.id)
                .updateAll(db, FunnelRecord.Columns.ownerId.set(to: successor.id))
            let (newHousehold, funnels) = start(user)
            try newHousehold.insert(db)
            user.householdId = newHousehold.id
            user.role = .owner
            try user.update(db)
            try Self.insert(funnels: funnels, householdId: newHousehold.id, ownerId: user.id, in: db)
            return changed + [user]
        }
        for user in changed {
            directory.update(user)
        }
    }
}
