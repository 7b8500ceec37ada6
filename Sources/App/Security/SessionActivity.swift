import Storage
import Synchronization

/// When each device was last active, for Settings › Devices: every authenticated request counts,
/// but a session's time is written at most once per `resolution`, so a busy phone costs one
/// small write a minute instead of one per request. The times written are kept in memory,
/// at most `capacity` of them.
final class SessionActivity: Sendable {
    static let resolution: Int64 = 60_000
    let capacity: Int
    private let sessions: SessionStore
    private let written = Mutex<[String: Int64]>([:])  // session id → the time last written

    init(sessions: SessionStore, capacity: Int = 10_000) {
        self.sessions = sessions
        self.capacity = capacity
    }

    var trackedCount: Int { written.withLock { $0.count } }

    /// Called for every authenticated request of `sessionId` at `now` (milliseconds).
    func seen(sessionId: String, now: Int64) async {
        let due = written.withLock { written -> Bool in
            if let last = written[sessionId], now - last < Self.resolution, now >= last { return false }
            if written.count >= capacity {
                // Forgetting a time only makes its session's next request write again.
                written = written.filter { now - $0.value < Self.resolution }
                if written.count >= capacity { written.removeAll(keepingCapacity: true) }
            }
            written[sessionId] = now
            return true
        }
        guard due else { return }
        // A failed write (the database busy for seconds) leaves the time a minute behind; the
        // request it belongs to must not fail for it.
        try? await sessions.touch(sessionId: sessionId, now: now)
    }
}
