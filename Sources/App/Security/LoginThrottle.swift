import Synchronization

/// Limits failed sign-in attempts per key (a username, a client address): `limit` failures
/// within `window` seconds lock the key for `lockout` seconds, doubling with each lockout in a
/// row. While locked, every attempt is refused, even one with the right code.
final class LoginThrottle: Sendable {
    struct Policy: Sendable {
        var limit: Int
        var window: Int64
        var lockout: Int64
        var maxLockout: Int64 = 24 * 3600
    }

    private struct Entry {
        var failures: [Int64] = []
        var lockouts = 0
        var lockedUntil: Int64 = 0
        var lastSeen: Int64 = 0
    }

    let policy: Policy
    /// The most keys kept. Keys are chosen by whoever calls (any username, any address of an
    /// IPv6 range), so without a bound a spray of them would grow this for a whole day.
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(policy: Policy, capacity: Int = 10_000) {
        self.policy = policy
        self.capacity = capacity
    }

    var count: Int { entries.withLock { $0.count } }

    /// Seconds until `key` may try again, or nil when it may try now.
    func retryAfter(_ key: String, now: Int64) -> Int64? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.lockedUntil > now else { return nil }
            return entry.lockedUntil - now
        }
    }

    func recordFailure(_ key: String, now: Int64) {
        entries.withLock { entries in
            if entries[key] == nil, entries.count >= capacity { Self.makeRoom(&entries, capacity: capacity, now: now, window: policy.window) }
            var entry = entries[key] ?? Entry()
            entry.lastSeen = now
            entry.failures.removeAll { $0 <= now - policy.window }
            entry.failures.append(now)
            if entry.failures.count >= policy.limit {
                let factor = Int64(1) << Int64(min(entry.lockouts, 20))
                entry.lockedUntil = now + min(policy.lockout * factor, policy.maxLockout)
                entry.lockouts += 1
                entry.failures.removeAll()
            }
            entries[key] = entry
        }
    }

    func recordSuccess(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Forgets idle keys; if that is not enough, the least recently seen quarter, keys under a
    /// running lockout last (a spray of new keys must not unlock the one being attacked).
    private static func makeRoom(_ entries: inout [String: Entry], capacity: Int, now: Int64, window: Int64) {
        forgetIdle(&entries, now: now, window: window)
        guard entries.count >= capacity else { return }
        let excess = entries.count - capacity * 3 / 4
        let oldest = entries.sorted { a, b in
            let (aLocked, bLocked) = (a.value.lockedUntil > now, b.value.lockedUntil > now)
            return aLocked != bLocked ? !aLocked : a.value.lastSeen < b.value.lastSeen
        }.prefix(excess)
        for (key, _) in oldest { entries.removeValue(forKey: key) }
    }

    /// Keys with no recent failure and no running lockout carry no state worth keeping.
    private static func forgetIdle(_ entries: inout [String: Entry], now: Int64, window: Int64) {
        entries = entries.filter { _, entry in entry.lockedUntil > now || entry.lastSeen > now - max(window, 24 * 3600) }
    }
}

/// The limits on sign-in and sign-up. Sign-in: 5 failures per username and 30 per client
/// address in 15 minutes. Sign-up: `signupLimit` attempts per address in an hour (each secret
/// generated and each registration counts, so usernames cannot be probed at speed), and 10
/// wrong invite codes per address in 15 minutes.
struct LoginThrottles: Sendable {
    let username: LoginThrottle
    let address: LoginThrottle
    let signup: LoginThrottle
    let invite: LoginThrottle

    init(lockout seconds: Int, signupLimit: Int = 20) {
        username = LoginThrottle(policy: .init(limit: 5, window: 15 * 60, lockout: Int64(seconds)))
        address = LoginThrottle(policy: .init(limit: 30, window: 15 * 60, lockout: Int64(seconds)))
        signup = LoginThrottle(policy: .init(limit: signupLimit, window: 3600, lockout: Int64(seconds)))
        invite = LoginThrottle(policy: .init(limit: 10, window: 15 * 60, lockout: Int64(seconds)))
    }
}
