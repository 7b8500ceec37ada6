import Synchronization

/// A counter per household, advanced after every committed write that changes what its
/// members see (funnels, spendings, settings, membership). `HouseholdChangeTracking` advances
/// it from the database, so no store has to remember to. Caches of computed views read it
/// before filling, so that a view read during a write is never kept past that write.
public final class HouseholdVersions: Sendable {
    private let versions = Mutex<[String: UInt64]>([:])

    public init() {}

    public func version(of householdId: String) -> UInt64 {
        versions.withLock { $0[householdId, default: 0] }
    }

    func advance(_ householdIds: some Sequence<String>) {
        versions.withLock { versions in
            for id in householdIds {
                versions[id, default: 0] &+= 1
            }
        }
    }
}
