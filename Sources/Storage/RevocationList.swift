import GRDB
import Synchronization

/// The device blacklist, mirrored in memory so that checking a token costs no database read.
/// Only `SessionStore` writes the blacklist, and it updates this mirror after each commit.
public final class RevocationList: Sendable {
    private struct State {
        var revokedSessions: Set<String> = []
        var notBefore: [String: Int64] = [:]
    }

    private let state: Mutex<State>

    init(db: some DatabaseReader) throws {
        let entries = try db.read { db in try BlacklistEntry.fetchAll(db) }
        var state = State()
        for entry in entries {
            Self.apply(entry, to: &state)
        }
        self.state = Mutex(state)
    }

    /// Whether a token of `userId`'s session `sessionId`, issued at `issuedAt` (seconds), is refused.
    public func isRevoked(userId: String, sessionId: String, issuedAt: Int64) -> Bool {
        state.withLock { state in
            if state.revokedSessions.contains(sessionId) { return true }
            if let notBefore = state.notBefore[userId], issuedAt < notBefore { return true }
            return false
        }
    }

    func record(_ entries: [BlacklistEntry]) {
        state.withLock { state in
            for entry in entries {
                Self.apply(entry, to: &state)
            }
        }
    }

    private static func apply(_ entry: BlacklistEntry, to state: inout State) {
        if let sessionId = entry.sessionId {
            state.revokedSessions.insert(sessionId)
        }
        if let notBefore = entry.notBefore {
            state.notBefore[entry.userId] = max(state.notBefore[entry.userId] ?? notBefore, notBefore)
        }
    }
}
