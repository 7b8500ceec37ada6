import GRDB

/// Users and the household they start in or join.
public struct AccountStore: Sendable {
    let db: DatabasePool
    let directory: MemberDirectory
    let live: LiveSessions

    /// Where a new account goes: a household of its own (with its first funnels), or an
    /// existing one through an invite code.
    public enum Placement: Sendable {
        case newHousehold(HouseholdRecord, funnels: [FunnelRecord])
        case invite(code: String)
    }

    public func isUsernameTaken(_ username: String) async throws -> Bool {
        let key = UserRecord.key(for: username)
        return try await db.read { db in
            try UserRecord.filter(UserRecord.Columns.usernameKey == key).fetchCount(db) > 0
        }
    }

    public func user(username: String) async throws -> UserRecord? {
        let key = UserRecord.key(for: username)
        return try await db.read { db in
            try UserRecord.filter(UserRecord.Columns.usernameKey == key).fetchOne(db)
        }
    }

    /// Creates the user (and its household, or joins one by invite) and its first device
    /// session in one transaction. `user.householdId` and `user.role` are set here.
    public func register(
        _ user: UserRecord, placement: Placement, session: DeviceSessionRecord, now: Int64
    ) async throws -> UserRecord {
        let user = try await db.write { db -> UserRecord in
            var user = user
            if try UserRecord.filter(UserRecord.Columns.usernameKey == user.usernameKey).fetchCount(db) > 0 {
                throw StorageError.usernameTaken
            }
            switch placement {
            case .newHousehold(let household, let funnels):
                user.householdId = household.id
                user.role = .owner
                // The household first (the user row refers to it), its funnels after the user (they refer to their owner).
                try household.insert(db)
                try user.insert(db)
                try HouseholdStore.insert(funnels: funnels, householdId: household.id, ownerId: user.id, in: db)
            case .invite(let code):
                guard var invite = try InviteRecord.fetchOne(db, key: code),
                    invite.usedBy == nil, invite.expiresAt > now,
                    try HouseholdRecord.exists(db, key: invite.householdId)
                else { throw StorageError.inviteInvalid }
                user.householdId = invite.householdId
                user.role = .member
                try user.insert(db)
                invite.usedBy = user.id
                invite.usedAt = now
                try invite.update(db)
            }
            try session.insert(db)
            return user
        }
        directory.update(user)
        live.added(sessionId: session.id, userId: user.id)
        return user
    }

    /// Whether `code` (normalised) would let someone join a household now: unused, unexpired,
    /// its household still there. Registration checks it again in its own transaction.
    public func inviteIsOpen(code: String, now: Int64) async throws -> Bool {
        try await db.read { db in
            guard let invite = try InviteRecord.fetchOne(db, key: code), invite.usedBy == nil, invite.expiresAt > now else { return false }
            return try HouseholdRecord.exists(db, key: invite.householdId)
        }
    }

    /// Marks TOTP step `step` as used by the user, atomically: false when this or a later
    /// step was already used, so that no code is ever accepted twice.
    public func consumeOTPStep(userId: String, step: Int64) async throws -> Bool {
        try await db.write { db in
            try db.execute(
                sql: """
                    UPDATE user SET last_otp_step = ?
                    WHERE id = ? AND (last_otp_step IS NULL OR last_otp_step < ?)
                    """,
                arguments: [step, userId, step])
            return db.changesCount == 1
        }
    }
}

extension AccountStore {
    public func allUsers() async throws -> [UserRecord] {
        try await db.read { db in try UserRecord.order(UserRecord.Columns.usernameKey).fetchAll(db) }
    }
}
