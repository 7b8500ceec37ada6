import Foundation
import Storage
import Testing

/// The database advances a household's version after every committed write that changes what
/// its members see, whichever store made it; nothing else moves it.
@Suite struct HouseholdVersionTests {
    /// Runs `write` and tells whether each household's version moved.
    func moves(_ storage: Stores, _ householdIds: [String], _ write: () async throws -> Void) async rethrows -> [Bool] {
        let before = householdIds.map(storage.versions.version(of:))
        try await write()
        return zip(householdIds, before).map { storage.versions.version(of: $0) > $1 }
    }

    @Test func everyFunnelSpendingAndHouseholdWriteMovesItsHousehold() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let other = try await makeFixture(storage, username: "bob")
            let both = [f.household.id, other.household.id]
            var funnel = f.shared
            var s = spending(in: f.shared, by: f.user, amount: 1, at: testNow)
            var extra = f.personal

            #expect(try await moves(storage, both) { extra = try await storage.funnels.insert(extra.with(id: newID())) } == [true, false])
            #expect(try await moves(storage, both) { funnel.limitMinor = 1; try await storage.funnels.update(funnel) } == [true, false])
            #expect(try await moves(storage, both) {
                try await storage.funnels.reorder(householdId: f.household.id, userId: f.user.id, ids: [extra.id])
            } == [true, false])
            #expect(try await moves(storage, both) { _ = try await storage.spendings.create(s) } == [true, false])
            #expect(try await moves(storage, both) { s.amountMinor = 2; try await storage.spendings.update(s) } == [true, false])
            #expect(try await moves(storage, both) { try await storage.spendings.delete(s) } == [true, false])
            #expect(try await moves(storage, both) {
                _ = try await storage.households.update(id: f.household.id) { $0.periodStartDay = 15 }
            } == [true, false])
            // A cascade: the funnel's spendings go with it, in the same commit.
            _ = try await storage.spendings.create(spending(in: extra, by: f.user, amount: 5, at: testNow))
            #expect(try await moves(storage, both) { try await storage.funnels.delete(extra) } == [true, false])
        }
    }

    @Test func joiningAndMovingMoveEveryHouseholdTheyTouch() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let invite = InviteRecord(code: "JOINJOINJN", householdId: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 10_000)
            #expect(try await moves(storage, [f.household.id]) { try await storage.households.createInvite(invite) } == [false])
            let bobId = newID()
            #expect(try await moves(storage, [f.household.id]) {
                _ = try await storage.accounts.register(
                    UserRecord(id: bobId, username: "bob", otpSecretSealed: Data([1]), lastOtpStep: nil, householdId: "", role: .owner, createdAt: testNow + 1),
                    placement: .invite(code: invite.code),
                    session: DeviceSessionRecord(id: newID(), userId: bobId, name: "t", createdAt: testNow, refreshTokenId: newID()), now: testNow)
            } == [true])
            let elsewhere = HouseholdRecord(id: newID(), name: "Bob's", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            #expect(try await moves(storage, [f.household.id, elsewhere.id]) {
                try await storage.households.move(usernameKey: "bob", outOf: f.household.id, into: { _ in (elsewhere, []) })
            } == [true, true])
        }
    }

    @Test func signInsSessionsAndRefusedWritesMoveNothing() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let id = [f.household.id]
            #expect(try await moves(storage, id) { _ = try await storage.accounts.consumeOTPStep(userId: f.user.id, step: 7) } == [false])
            let session = DeviceSessionRecord(id: newID(), userId: f.user.id, name: "phone", createdAt: testNow, refreshTokenId: newID())
            #expect(try await moves(storage, id) { try await storage.sessions.create(session) } == [false])
            #expect(try await moves(storage, id) {
                try await storage.sessions.revokeAll(userId: f.user.id, keeping: nil, notBefore: 1, now: testNow)
            } == [false])
            // A write that fails inside its transaction rolls back and moves nothing.
            var stray = spending(in: f.shared, by: f.user, amount: 1, at: testNow)
            stray.funnelId = newID()
            #expect(await moves(storage, id) {
                await #expect(throws: StorageError.funnelNotFound) { try await storage.spendings.create(stray) }
            } == [false])
            #expect(await moves(storage, id) {
                await #expect(throws: ValidationProbe.self) {
                    try await storage.funnels.update(id: f.shared.id, householdId: f.household.id, userId: f.user.id, mayHideOthers: true) { funnel, _ in
                        funnel.limitMinor = 0
                        throw ValidationProbe()
                    }
                }
            } == [false])
            #expect(try await storage.visibleFunnel(id: f.shared.id, householdId: f.household.id, userId: f.user.id)?.limitMinor == 200_000)
        }
    }
}

/// An error a write's closure throws to refuse, as the App's validation does.
struct ValidationProbe: Error {}

extension FunnelRecord {
    func with(id: String) -> FunnelRecord {
        var copy = self
        copy.id = id
        return copy
    }
}
