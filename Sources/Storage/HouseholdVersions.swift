import Synchronization

/// A counter per household, advanced after every committed write that changes what its
/// members see (funnels, spendings, settings, membership). Caches of computed views compare
/// it before and after filling, so that a view read during a write is never kept.
public final class HouseholdVersions: Sendable {
    private let versions = Mutex<[String: UInt64]>([:])

    public init() {}

    public func version(of householdID: String) -> UInt64 {
        versions.withLock { $0[householdID, default: 0] }
    }

    func advance(_ householdIDs: some Sequence<String>) {
        versions.withLock { versions in
            for id in householdIDs {
                versions[id, default: 0] &+= 1
            }
        }
    }
}
