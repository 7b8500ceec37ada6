import GRDB

/// Device sessions and the per-user device blacklist.
public struct SessionStore: Sendable {
    let db: DatabasePool
    /// Which sessions' tokens are accepted, kept in step with every write below.
    public let live: LiveSessions

    public enum Rotation: Sendable, Equatable {
        case rotated
        /// The token was already spent: the session is now revoked (reuse detection).
        case reused
        case revoked
        case unknown
    }

    public func create(_ session: DeviceSessionRecord) async throws {
        try await db.write { db in try session.insert(db) }
        live.added(sessionId: session.id, userId: session.userId)
    }

    public func session(id: String) async throws -> DeviceSessionRecord? {
        try await db.read { db in try DeviceSessionRecord.fetchOne(db, key: id) }
    }

    /// The user's sessions that are still signed in, most recently used first.
    public func activeSessions(userId: String) async throws -> [DeviceSessionRecord] {
        try await db.read { db in
            try DeviceSessionRecord
                .filter(DeviceSessionRecord.Columns.userId == userId && DeviceSessionRecord.Columns.revokedAt == nil)
                .order(DeviceSessionRecord.Columns.lastSeenAt.desc)
                .fetchAll(db)
        }
    }

    /// Records that the session was used at `now` (milliseconds); never moves the time back, and
    /// leaves a signed-out session as it is.
    public func touch(sessionId: String, now: Int64) async throws {
        _ = try await db.write { db in
            try DeviceSessionRecord
                .filter(key: sessionId)
                .filter(DeviceSessionRecord.Columns.revokedAt == nil && DeviceSessionRecord.Columns.lastSeenAt < now)
                .updateAll(db, DeviceSessionRecord.Columns.lastSeenAt.set(to: now))
        }
    }

    /// Gives the user's signed-in session `sessionId` a new name; nil if the user has no such session.
    public func rename(sessionId: String, userId: String, to name: String) async throws -> DeviceSessionRecord? {
        try await db.write { db in
            guard var session = try DeviceSessionRecord.fetchOne(db, key: sessionId),
                session.userId == userId, session.revokedAt == nil
            else { return nil }
            session.name = name
            try session.update(db)
            return session
        }
    }

    /// Replaces the session's refresh token id `presented` by `next`, once: a second
    /// presentation of `presented` revokes the session.
    public func rotate(
        sessionId: String, userId: String, presented: String, next: String, now: Int64
    ) async throws -> Rotation {
        let (rotation, entries) = try await db.write { db -> (Rotation, [BlacklistEntry]) in
            guard var session = try DeviceSessionRecord.fetchOne(db, key: sessionId), session.userId == userId
            else { return (.unknown, []) }
            if session.revokedAt != nil { return (.revoked, []) }
            guard session.refreshTokenId == presented else {
                return (.reused, try Self.revoke(&session, now: now, in: db))
            }
            session.refreshTokenId = next
            session.lastSeenAt = now
            try session.update(db)
            return (.rotated, [])
        }
        live.record(entries)
        return rotation
    }

    /// Signs one device out; false if the user has no such session.
    public func revoke(sessionId: String, userId: String, now: Int64) async throws -> Bool {
        let entries = try await db.write { db -> [BlacklistEntry]? in
            guard var session = try DeviceSessionRecord.fetchOne(db, key: sessionId),
                session.userId == userId, session.revokedAt == nil
            else { return nil }
            return try Self.revoke(&session, now: now, in: db)
        }
        guard let entries else { return false }
        live.record(entries)
        return true
    }

    /// Signs out every session of the user except `keeping`; with `notBefore`, also refuses
    /// every token of the user issued before that instant (seconds).
    public func revokeAll(userId: String, keeping: String?, notBefore: Int64?, now: Int64) async throws {
        let entries = try await db.write { db -> [BlacklistEntry] in
            var entries = try Self.revokeSessions(userId: userId, keeping: keeping, now: now, in: db)
            if let notBefore {
                let entry = BlacklistEntry(userId: userId, sessionId: nil, notBefore: notBefore, createdAt: now)
                try entry.insert(db)
                entries.append(entry)
            }
            return entries
        }
        live.record(entries)
    }

    /// Inside a write of another store: signs out every live session of the user but `keeping`.
    /// The caller hands the entries to `live.record` after the commit.
    static func revokeSessions(userId: String, keeping: String?, now: Int64, in db: Database) throws -> [BlacklistEntry] {
        var entries: [BlacklistEntry] = []
        let sessions = try DeviceSessionRecord
            .filter(DeviceSessionRecord.Columns.userId == userId && DeviceSessionRecord.Columns.revokedAt == nil)
            .fetchAll(db)
        for var session in sessions where session.id != keeping {
            entries += try revoke(&session, now: now, in: db)
        }
        return entries
    }

    private static func revoke(_ session: inout DeviceSessionRecord, now: Int64, in db: Database) throws -> [BlacklistEntry] {
        session.revokedAt = now
        try session.update(db)
        let entry = BlacklistEntry(userId: session.userId, sessionId: session.id, notBefore: nil, createdAt: now)
        try entry.insert(db)
        return [entry]
    }
}
