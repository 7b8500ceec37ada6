import Budget
import Foundation
import NIOCore
import Storage
import Synchronization

/// Each member's snapshot (`SnapshotStore.Member`) kept between requests, so the main screen
/// costs no database read while nothing changes, and the answers rendered from it, so it costs
/// no JSON encoding either.
///
/// An entry is used only while its household's version is the one it was read at and `now`
/// is still in its period. The database advances the version after each commit that touches
/// the household, and the version is read before the snapshot, so a snapshot read during a
/// write is never served after it. A rendered answer is also bound to the local day it was
/// rendered on, since "today" is in its figures.
final class MemberViews: Sendable {
    enum Rendering: Hashable, Sendable {
        case overview, funnels
    }

    /// How many spendings the main screen lists.
    static let recentCount = 20

    private struct Rendered {
        let day: LocalDay
        let body: ByteBuffer
    }

    private struct Entry {
        let version: UInt64
        let snapshot: SnapshotStore.Member
        var rendered: [Rendering: Rendered] = [:]
    }

    let snapshots: SnapshotStore
    let versions: HouseholdVersions
    /// The most members kept (an entry is a few KiB: funnels, 20 spendings, two answers). A
    /// family server has a handful; the bound is for one that many sign up to.
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(snapshots: SnapshotStore, versions: HouseholdVersions, capacity: Int = 512) {
        self.snapshots = snapshots
        self.versions = versions
        self.capacity = capacity
    }

    var count: Int { entries.withLock { $0.count } }

    func snapshot(for identity: Identity, now: Date) async throws -> SnapshotStore.Member {
        try await current(for: identity, now: now).snapshot
    }

    /// The JSON body of `rendering` for the member now, rendered at most once per household
    /// version and local day.
    func body(
        _ rendering: Rendering, for identity: Identity, now: Date,
        render: (SnapshotStore.Member, LocalDay) throws -> ByteBuffer
    ) async throws -> ByteBuffer {
        let entry = try await current(for: identity, now: now)
        if let rendered = entry.rendered[rendering], rendered.day.contains(now) {
            return rendered.body
        }
        let day = entry.snapshot.rule.day(containing: now)
        let body = try render(entry.snapshot, day)
        entries.withLock { entries in
            // Kept only if no newer snapshot replaced the one it was rendered from meanwhile.
            guard var stored = entries[identity.userId], stored.version == entry.version,
                stored.snapshot.household.id == entry.snapshot.household.id
            else { return }
            stored.rendered[rendering] = Rendered(day: day, body: body)
            entries[identity.userId] = stored
        }
        return body
    }

    private func current(for identity: Identity, now: Date) async throws -> Entry {
        let version = versions.version(of: identity.householdId)
        if let entry = entries.withLock({ $0[identity.userId] }), entry.version == version,
            entry.snapshot.household.id == identity.householdId, entry.snapshot.period.contains(now)
        {
            return entry
        }
        let snapshot = try await snapshots.member(
            householdId: identity.householdId, userId: identity.userId, at: now, recentCount: Self.recentCount)
        let entry = Entry(version: version, snapshot: snapshot)
        entries.withLock { entries in
            // As VerifiedTokens: forgetting all at once keeps the bound without bookkeeping; a
            // forgotten member's next request reads its snapshot again.
            if entries[identity.userId] == nil, entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[identity.userId] = entry
        }
        return entry
    }
}
