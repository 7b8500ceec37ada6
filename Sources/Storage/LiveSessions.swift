import GRDB
import Synchronization

/// The device sessions whose tokens may still be accepted, mirrored in memory so that checking
/// a token costs no database read: a token is accepted only if its session is live, belongs to
/// the token's user, and the user has no "not before" mark later than the token.
///
/// `SessionStore` updates the mirror after each of its commits. Writes by another process (the
/// `stracker user sign-out` command) reach it too: a dedicated connection asks SQLite's
/// `PRAGMA data_version`, which changes whenever any other connection committed, and only then
/// reads the session epoch that the schema's triggers advance on every revocation (migration
/// v2); a changed epoch reloads the mirror. Checking costs one pragma step per request.
public final class LiveSessions: Sendable {
    private struct State {
        var owners: [String: String] = [:]  // live session id → user id
        var notBefore: [String: Int64] = [:]  // user id → seconds
        var epoch: Int64 = -1
        var dataVersion: Int64 = -1
    }

    private let probe: DatabaseQueue
    private let state = Mutex(State())
    /// Fired after this server revokes sessions (another process's revocations are seen at the
    /// next `admits`).
    public let revoked = ChangeSignal()

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        configuration.label = "stracker.live-sessions"
        probe = try DatabaseQueue(path: path, configuration: configuration)
        try state.withLock { state in try probe.inDatabase { db in try Self.load(db, into: &state) } }
    }

    /// Whether a token of `userId`'s session `sessionId`, issued at `issuedAt` (seconds), is accepted.
    public func admits(userId: String, sessionId: String, issuedAt: Int64) -> Bool {
        state.withLock { state in
            // A failed probe keeps the mirror as it is: the server's own revocations are in it.
            try? probe.inDatabase { db in try Self.follow(db, into: &state) }
            guard state.owners[sessionId] == userId else { return false }
            if let notBefore = state.notBefore[userId], issuedAt < notBefore { return false }
            return true
        }
    }

    func added(sessionId: String, userId: String) {
        state.withLock { $0.owners[sessionId] = userId }
    }

    func record(_ entries: [BlacklistEntry]) {
        state.withLock { state in
            for entry in entries { Self.apply(entry, to: &state) }
        }
        if !entries.isEmpty { revoked.fire() }
    }

    /// Reloads when another connection committed a change to the sessions since the last look.
    private static func follow(_ db: Database, into state: inout State) throws {
        let dataVersion = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        guard dataVersion != state.dataVersion else { return }
        state.dataVersion = dataVersion
        let epoch = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM session_epoch WHERE id = 1")) ?? 0
        guard epoch != state.epoch else { return }
        try load(db, into: &state)
    }

    private static func load(_ db: Database, into state: inout State) throws {
        try db.inTransaction(.deferred) {
            var fresh = State()
            fresh.dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
            fresh.epoch = try Int64.fetchOne(db, sql: "SELECT value FROM session_epoch WHERE id = 1") ?? 0
            let rows = try Row.fetchCursor(db, sql: "SELECT id, user_id FROM device_session WHERE revoked_at IS NULL")
            while let row = try rows.next() {
                fresh.owners[row["id"]] = row["user_id"]
            }
            for entry in try BlacklistEntry.filter(Column("not_before") != nil).fetchAll(db) {
                apply(entry, to: &fresh)
            }
            state = fresh
            return .commit
        }
    }

    private static func apply(_ entry: BlacklistEntry, to state: inout State) {
        if let sessionId = entry.sessionId {
            state.owners[sessionId] = nil
        }
        if let notBefore = entry.notBefore {
            state.notBefore[entry.userId] = max(state.notBefore[entry.userId] ?? notBefore, notBefore)
        }
    }
}
