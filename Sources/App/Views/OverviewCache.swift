import Foundation
import Storage
import Synchronization

/// Member views kept between requests, so the main screen costs no database read while
/// nothing changes. An entry is used only while its household's version is the one it was
/// read at and `now` is still in its period; a write advances the version first, so a view
/// read during a write is never served after it. The figures that depend on today are
/// computed from the entry on each request.
final class OverviewCache: Sendable {
    private struct Entry {
        let version: UInt64
        let view: MemberView
    }

    let storage: Storage
    private let entries = Mutex<[String: Entry]>([:])

    init(storage: Storage) {
        self.storage = storage
    }

    func view(for identity: Identity, now: Date) async throws -> MemberView {
        let version = storage.versions.version(of: identity.householdID)
        if let entry = entries.withLock({ $0[identity.userID] }), entry.version == version,
            entry.view.household.id == identity.householdID, entry.view.period.contains(now)
        {
            return entry.view
        }
        let view = try await MemberView.load(identity: identity, storage: storage, now: now)
        entries.withLock { $0[identity.userID] = Entry(version: version, view: view) }
        return view
    }
}
