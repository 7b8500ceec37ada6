import Synchronization

/// Tells observers that something in an in-memory mirror changed (a session revoked, a member
/// moved), so that what depends on it (open event streams) can look again. Fired after the
/// mirror's own lock is released, so an observer may read the mirror.
public final class ChangeSignal: Sendable {
    private let observers = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    public func observe(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func fire() {
        for observer in observers.withLock({ $0 }) { observer() }
    }
}
