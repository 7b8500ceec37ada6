import Foundation
import GRDB
import Storage
import Synchronization
import Testing

/// The database itself describes each committed change (for GET /events): kind, row, household,
/// and who may see it, whichever store wrote it, cascades included, nothing on rollback.
@Suite struct HouseholdChangeFeedTests {
    /// Collects what the feed publishes, one array per commit.
    final class Collector: Sendable {
        private let commits = Mutex<[[HouseholdChange]]>([])
        init(_ storage: Stores) {
            storage.database.changes.observe { [self] changes in commits.withLock { $0.append(changes) } }
        }

        /// The commits since the last call.
        func take() -> [[HouseholdChange]] {
            commits.withLock { commits in
                defer { commits.removeAll() }
                return commits
            }
        }
    }

    func change(_ kind: HouseholdChange.Kind, _ id: String?, funnel: String?, in household: String, to audience: String?) -> HouseholdChange {
        HouseholdChange(householdId: household, kind: kind, id: id, funnelId: funnel, audience: audience)
    }

    @Test func spendingsAndFunnelsSayWhoMaySeeThem() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let feed = Collector(storage)
            let h = f.household.id

            var shared = spending(in: f.shared, by: f.user, amount: 100, at: testNow)
            _ = try await storage.spendings.create(shared)
            shared.amountMinor = 200
            try await storage.spendings.update(shared)
            try await storage.spendings.delete(shared)
            let personal = spending(in: f.personal, by: f.user, amount: 5, at: testNow)
            _ = try await storage.spendings.create(personal)
            #expect(feed.take() == [
                [change(.spendingCreated, shared.id, funnel: f.shared.id, in: h, to: nil)],
                [change(.spendingChanged, shared.id, funnel: f.shared.id, in: h, to: nil)],
                [change(.spendingDeleted, shared.id, funnel: f.shared.id, in: h, to: nil)],
                [change(.spendingCreated, personal.id, funnel: f.personal.id, in: h, to: f.user.id)],
            ])

            // Sharing a personal funnel tells everyone (they gain it); a personal funnel's change only its owner.
            var funnel = f.personal
            funnel.limitMinor = 1
            try await storage.funnels.update(funnel)
            funnel.shared = true
            try await storage.funnels.update(funnel)
            #expect(feed.take() == [
                [change(.funnelChanged, funnel.id, funnel: funnel.id, in: h, to: f.user.id)],
                [change(.funnelChanged, funnel.id, funnel: funnel.id, in: h, to: f.user.id),
                 change(.funnelChanged, funnel.id, funnel: funnel.id, in: h, to: nil)],
            ])
        }
    }

    @Test func aCascadeTellsEachRowAndARollbackNothing() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let s = spending(in: f.personal, by: f.user, amount: 5, at: testNow)
            _ = try await storage.spendings.create(s)
            let feed = Collector(storage)
            try await storage.funnels.delete(f.personal)
            let commits = feed.take()
            #expect(commits.count == 1)
            #expect(Set(commits.first ?? []) == [
                change(.funnelDeleted, f.personal.id, funnel: f.personal.id, in: f.household.id, to: f.user.id),
                change(.spendingDeleted, s.id, funnel: f.personal.id, in: f.household.id, to: f.user.id),
            ])

            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await storage.database.pool.write { db in
                    try spending(in: f.shared, by: f.user, amount: 1, at: testNow).insert(db)
                    throw Refused()
                }
            }
            _ = try await storage.households.update(id: f.household.id) { $0.periodStartDay = 15 }
            #expect(feed.take() == [[change(.householdChanged, f.household.id, funnel: nil, in: f.household.id, to: nil)]])
        }
    }

    @Test func aLargeTransactionIsOneChangePerAudience() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let feed = Collector(storage)
            try await storage.database.pool.write { db in
                for index in 0..<100 {
                    try spending(in: index.isMultiple(of: 2) ? f.shared : f.personal, by: f.user, amount: 1, at: testNow).insert(db)
                }
            }
            let commits = feed.take()
            #expect(commits.count == 1)
            #expect(Set(commits.first ?? []) == [
                change(.many, nil, funnel: nil, in: f.household.id, to: nil),
                change(.many, nil, funnel: nil, in: f.household.id, to: f.user.id),
            ])
        }
    }

    @Test func signInsChangeNothingAMemberSees() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let feed = Collector(storage)
            try await storage.database.pool.write { db in
                try db.execute(sql: "UPDATE user SET last_otp_step = 99 WHERE id = ?", arguments: [f.user.id])
            }
            #expect(feed.take().isEmpty)
            try await storage.database.pool.write { db in
                try db.execute(sql: "UPDATE user SET username = 'alicia' WHERE id = ?", arguments: [f.user.id])
            }
            #expect(feed.take() == [[change(.membersChanged, f.user.id, funnel: nil, in: f.household.id, to: nil)]])
        }
    }
}
