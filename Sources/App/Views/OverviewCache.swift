import Budget
import Foundation
import NIOCore
import Storage
import Synchronization

/// Member views kept between requests, so the main screen costs no database read while
/// nothing changes, and the answers rendered from them, so it costs no JSON encoding either.
///
/// An entry is used only while its household's version is the one it was read at and `now`
/// is still in its period; a write advances the version after its commit, and the version is
/// read before the view, so a view read during a write is never served after it. A rendered
/// answer is also bound to the local day it was rendered on, since "today" is in its figures.
final class OverviewCache: Sendable {
    enum Rendering: Hashable, Sendable {
        case overview, funnels
    }

    private struct Rendered {
        let day: LocalDay
        let body: ByteBuffer
    }

    private struct Entry {
        let version: UInt64
        let view: MemberView
        var rendered: [Rendering: Rendered] = [:]
    }

    let storage: Storage
    private let entries = Mutex<[String: Entry]>([:])

    init(storage: Storage) {
        self.storage = storage
    }

    func view(for identity: Identity, now: Date) async throws -> MemberView {
        try await current(for: identity, now: now).view
    }

    /// The JSON body of `rendering` for the member now, rendered at most once per household
    /// version and local day.
    func body(
        _ rendering: Rendering, for identity: Identity, now: Date,
        render: (MemberView, LocalDay) throws -> ByteBuffer
    ) async throws -> ByteBuffer {
        let entry = try await current(for: identity, now: now)
        if let rendered = entry.rendered[rendering], rendered.day.contains(now) {
            return rendered.body
        }
        let day = entry.view.rule.day(containing: now)
        let body = try render(entry.view, day)
        entries.withLock { entries in
            // Kept only if no newer view replaced the one it was rendered from meanwhile.
            guard var stored = entries[identity.userID], stored.version == entry.version,
                stored.view.household.id == entry.view.household.id
            else { return }
            stored.rendered[rendering] = Rendered(day: day, body: body)
            entries[identity.userID] = stored
        }
        return body
    }

    private func current(for identity: Identity, now: Date) async throws -> Entry {
        let version = storage.versions.version(of: identity.householdID)
        if let entry = entries.withLock({ $0[identity.userID] }), entry.version == version,
            entry.view.household.id == identity.householdID, entry.view.period.contains(now)
        {
            return entry
        }
        let entry = Entry(version: version, view: try await MemberView.load(identity: identity, storage: storage, now: now))
        entries.withLock { $0[identity.userID] = entry }
        return entry
    }
}
