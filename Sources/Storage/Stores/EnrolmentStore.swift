import Foundation
import GRDB

/// How a person who lost their authenticator gets back in: single-use recovery codes they kept,
/// which each buy one enrolment ticket, or a ticket their household's owner issued for them.
/// A ticket lets them set up a new authenticator once. Codes and tickets are stored as hashes
/// (the App hashes them; Storage never sees them in clear).
public struct EnrolmentStore: Sendable {
    let db: DatabasePool
    let live: LiveSessions

    public struct Status: Sendable, Equatable {
        /// Codes not used yet.
        public let remaining: Int
        /// When the current set was made; nil when the user never had one.
        public let createdAt: Int64?
    }

    /// Replaces the user's recovery codes by `hashes` (the old ones stop working).
    public func replaceCodes(userId: String, hashes: [Data], now: Int64) async throws {
        try await db.write { db in
            try db.execute(sql: "DELETE FROM recovery_code WHERE user_id = ?", arguments: [userId])
            for hash in hashes {
                try db.execute(
                    sql: "INSERT INTO recovery_code (user_id, code_hash, created_at) VALUES (?, ?, ?)",
                    arguments: [userId, hash, now])
            }
        }
    }

    public func status(userId: String) async throws -> Status {
        try await db.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT count(*) FILTER (WHERE used_at IS NULL), max(created_at) FROM recovery_code WHERE user_id = ?",
                arguments: [userId])
            return Status(remaining: row?[0] ?? 0, createdAt: row?[1])
        }
    }

    /// Spends the user's recovery code `codeHash` and issues a ticket in the same transaction;
    /// false when the code is not one of theirs or was used.
    public func redeem(userId: String, codeHash: Data, ticketHash: Data, expiresAt: Int64, now: Int64) async throws -> Bool {
        try await db.write { db in
            try db.execute(
                sql: "UPDATE recovery_code SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                arguments: [now, userId, codeHash])
            guard db.changesCount == 1 else { return false }
            try Self.issue(userId: userId, ticketHash: ticketHash, createdBy: userId, expiresAt: expiresAt, now: now, in: db)
            return true
        }
    }

    /// A ticket issued by `createdBy` (the household's owner) for `userId`; earlier unused
    /// tickets of the user stop working, so only the latest link does.
    public func issue(userId: String, ticketHash: Data, createdBy: String, expiresAt: Int64, now: Int64) async throws {
        try await db.write { db in
            try Self.issue(userId: userId, ticketHash: ticketHash, createdBy: createdBy, expiresAt: expiresAt, now: now, in: db)
        }
    }

    private static func issue(userId: String, ticketHash: Data, createdBy: String, expiresAt: Int64, now: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM enrolment_ticket WHERE user_id = ? AND used_at IS NULL", arguments: [userId])
        try db.execute(
            sql: "INSERT INTO enrolment_ticket (ticket_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [ticketHash, userId, createdBy, now, expiresAt])
    }

    /// The user an unused, unexpired ticket is for, and when it expires.
    public func ticketHolder(ticketHash: Data, now: Int64) async throws -> (user: UserRecord, expiresAt: Int64)? {
        try await db.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT user_id, expires_at FROM enrolment_ticket WHERE ticket_hash = ? AND used_at IS NULL AND expires_at > ?",
                arguments: [ticketHash, now]),
                let user = try UserRecord.fetchOne(db, key: row["user_id"] as String)
            else { return nil }
            return (user, row["expires_at"])
        }
    }

    /// Spends the ticket and, in the same transaction, gives its user the new sealed secret
    /// (whose code `step` was just shown), signs every other device of theirs out (the lost
    /// phone among them) and opens `session`. Nil when the ticket is unknown, used or expired.
    public func enrol(
        ticketHash: Data, sealedSecret: @Sendable (UserRecord) throws -> Data, step: Int64,
        session: @Sendable (UserRecord) -> DeviceSessionRecord, now: Int64
    ) async throws -> (user: UserRecord, session: DeviceSessionRecord)? {
        let result = try await db.write { db -> (UserRecord, DeviceSessionRecord, [BlacklistEntry])? in
            try db.execute(
                sql: "UPDATE enrolment_ticket SET used_at = ? WHERE ticket_hash = ? AND used_at IS NULL AND expires_at > ?",
                arguments: [now, ticketHash, now])
            guard db.changesCount == 1,
                let userId = try String.fetchOne(db, sql: "SELECT user_id FROM enrolment_ticket WHERE ticket_hash = ?", arguments: [ticketHash]),
                var user = try UserRecord.fetchOne(db, key: userId)
            else { return nil }
            user.otpSecretSealed = try sealedSecret(user)
            user.lastOtpStep = step
            try user.update(db)
            let entries = try SessionStore.revokeSessions(userId: user.id, keeping: nil, now: now, in: db)
            let opened = session(user)
            try opened.insert(db)
            return (user, opened, entries)
        }
        guard let (user, opened, entries) = result else { return nil }
        live.record(entries)
        live.added(sessionId: opened.id, userId: user.id)
        return (user, opened)
    }
}
