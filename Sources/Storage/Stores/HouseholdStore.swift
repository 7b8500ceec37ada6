import GRDB

/// Households, their members and invites.
public struct HouseholdStore: Sendable {
    let db: DatabasePool
    let directory: Directory
    let versions: HouseholdVersions

    public func household(id: String) async throws -> HouseholdRecord? {
        try await db.read { db in try HouseholdRecord.fetchOne(db, key: id) }
    }

    public func members(of householdID: String) async throws -> [UserRecord] {
        try await db.read { db in
            try UserRecord.filter(Column("household_id") == householdID).order(Column("created_at")).fetchAll(db)
        }
    }

    public func update(_ household: HouseholdRecord) async throws {
        try await db.write { db in try household.update(db) }
        versions.advance([household.id])
    }

    public func createInvite(_ invite: InviteRecord) async throws {
        try await db.write { db in try invite.insert(db) }
    }

    /// Moves `userID` out of `householdID` into `newHousehold` (with its first funnels): the
    /// user's personal funnels (and their spendings) go; their spendings in shared funnels stay,
    /// still attributed to them. If the owner leaves, the longest-standing member becomes owner.
    /// Refuses (`lastMember`) to empty a household.
    public func move(
        userID: String, outOf householdID: String, into newHousehold: HouseholdRecord, funnels: [FunnelRecord]
    ) async throws {
        let changed = try await db.write { db -> [UserRecord] in
            guard var user = try UserRecord.fetchOne(db, key: userID), user.householdID == householdID
            else { throw StorageError.notFound }
            let others = try UserRecord
                .filter(Column("household_id") == householdID && Column("id") != userID)
                .order(Column("created_at"))
                .fetchAll(db)
            guard var successor = others.first else { throw StorageError.lastMember }
            try FunnelRecord
                .filter(Column("household_id") == householdID && Column("owner_id") == userID && Column("shared") == false)
                .deleteAll(db)
            // Shared funnels the leaver created stay with the household, owned by someone still in it.
            var changed: [UserRecord] = []
            if user.role == .owner {
                successor.role = .owner
                try successor.update(db)
                changed.append(successor)
            }
            try FunnelRecord
                .filter(Column("household_id") == householdID && Column("owner_id") == userID)
                .updateAll(db, Column("owner_id").set(to: successor.id))
            try newHousehold.insert(db)
            user.householdID = newHousehold.id
            user.role = .owner
            try user.update(db)
            for var funnel in funnels {
                funnel.householdID = newHousehold.id
                funnel.ownerID = user.id
                try funnel.insert(db)
            }
            return changed + [user]
        }
        for user in changed {
            directory.update(user)
        }
        versions.advance([householdID, newHousehold.id])
    }
}
