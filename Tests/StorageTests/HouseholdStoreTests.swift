import Foundation
import Storage
import Testing

@Suite struct HouseholdStoreTests {
    /// Bob, joined to `f`'s household by invite.
    func join(_ storage: Stores, _ f: Fixture, username: String = "bob", at offset: Int64 = 1) async throws -> UserRecord {
        let invite = InviteRecord(
            code: "JOIN\(username.uppercased())", householdId: f.household.id, createdBy: f.user.id, createdAt: testNow,
            expiresAt: testNow + 10_000)
        try await storage.households.createInvite(invite)
        let id = newID()
        return try await storage.accounts.register(
            UserRecord(id: id, username: username, otpSecretSealed: Data([1]), lastOtpStep: nil, householdId: "", role: .owner, createdAt: testNow + offset),
            placement: .invite(code: invite.code),
            session: DeviceSessionRecord(id: newID(), userId: id, name: "t", createdAt: testNow, refreshTokenId: newID()), now: testNow)
    }

    @Test func membersComeWithTheirHouseholdLongestStandingFirst() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let carol = try await join(storage, f, username: "carol", at: 2)
            let bob = try await join(storage, f, username: "bob", at: 1)
            let current = try await storage.households.members(of: f.household.id)
            #expect(current.household == f.household)
            #expect(current.members.map(\.id) == [f.user.id, bob.id, carol.id])
            #expect(current.members.map(\.role) == [.owner, .member, .member])
            await #expect(throws: StorageError.householdNotFound) { try await storage.households.members(of: newID()) }
        }
    }

    @Test func anUpdateAnswersTheStoredHouseholdOrChangesNothing() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let updated = try await storage.households.update(id: f.household.id) { $0.name = "Home"; $0.periodStartDay = 28 }
            #expect(updated.household.name == "Home" && updated.household.periodStartDay == 28)
            #expect(updated.members.map(\.id) == [f.user.id])
            await #expect(throws: ValidationProbe.self) {
                _ = try await storage.households.update(id: f.household.id) { household in
                    household.name = "Lost"
                    throw ValidationProbe()
                }
            }
            #expect(try await storage.households.members(of: f.household.id).household.name == "Home")
        }
    }

    @Test func aMoveFindsTheMemberByUsernameInTheCallersHouseholdOnly() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let stranger = try await makeFixture(storage, username: "zoe")
            _ = try await join(storage, f)
            let nowhere = HouseholdRecord(id: newID(), name: "x", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            await #expect(throws: StorageError.memberNotFound) {
                try await storage.households.move(usernameKey: "zoe", outOf: f.household.id, into: { _ in (nowhere, []) })
            }
            await #expect(throws: StorageError.memberNotFound) {
                try await storage.households.move(usernameKey: "nobody", outOf: f.household.id, into: { _ in (nowhere, []) })
            }
            // The caller's check runs on the member found, inside the transaction.
            await #expect(throws: ValidationProbe.self) {
                try await storage.households.move(usernameKey: "bob", outOf: f.household.id, into: { _ in (nowhere, []) }) { _ in
                    throw ValidationProbe()
                }
            }
            #expect(try await storage.households.members(of: f.household.id).members.count == 2)
            #expect(try await storage.households.members(of: stranger.household.id).members.count == 1)
        }
    }

    @Test func anOwnerWhoLeavesHandsTheHouseholdToTheLongestStandingMember() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let bob = try await join(storage, f, username: "bob", at: 1)
            _ = try await join(storage, f, username: "carol", at: 2)
            let start = HouseholdRecord(id: newID(), name: "Alice's", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            let first = FunnelRecord(
                id: newID(), householdId: "", ownerId: "", shared: true, name: "Food", limitMinor: 1, color: "#000000", emoji: "🍞",
                position: 0, createdAt: testNow)
            try await storage.households.move(usernameKey: "alice", outOf: f.household.id, into: { member in
                #expect(member.id == f.user.id)
                return (start, [first])
            })
            let left = try await storage.households.members(of: f.household.id).members
            #expect(left.first { $0.id == bob.id }?.role == .owner)
            #expect(storage.directory.member(id: bob.id)?.role == .owner)
            #expect(storage.directory.member(id: f.user.id)?.householdId == start.id)
            // The shared funnel alice created stays, now owned by the new owner; her new household has its first funnel.
            #expect(try await storage.visibleFunnel(id: f.shared.id, householdId: f.household.id, userId: bob.id)?.ownerId == bob.id)
            #expect(try await storage.visibleFunnels(householdId: start.id, userId: f.user.id).map(\.id) == [first.id])
        }
    }

    @Test func movingAMemberOutTakesTheirPersonalFunnelsAndKeepsTheirSharedSpendings() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let invite = InviteRecord(code: "MOVEMOVEMV", householdId: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 10_000)
            try await storage.households.createInvite(invite)
            let bobId = newID()
            let bob = try await storage.accounts.register(
                UserRecord(id: bobId, username: "bob", otpSecretSealed: Data([1]), lastOtpStep: nil, householdId: "", role: .owner, createdAt: testNow + 1),
                placement: .invite(code: invite.code),
                session: DeviceSessionRecord(id: newID(), userId: bobId, name: "t", createdAt: testNow, refreshTokenId: newID()), now: testNow)
            let bobsFunnel = try await storage.funnels.insert(
                FunnelRecord(id: newID(), householdId: f.household.id, ownerId: bob.id, shared: false, name: "Bob", limitMinor: 1, color: "#000000", emoji: "🎲", position: 0, createdAt: testNow))
            let inShared = spending(in: f.shared, by: bob, amount: 300, at: testNow)
            let inPersonal = spending(in: bobsFunnel, by: bob, amount: 400, at: testNow)
            _ = try await storage.spendings.create(inShared)
            _ = try await storage.spendings.create(inPersonal)

            let elsewhere = HouseholdRecord(id: newID(), name: "Bob's", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            try await storage.households.move(usernameKey: "bob", outOf: f.household.id, into: { _ in (elsewhere, []) })
            #expect(try await storage.spendings.visible(id: inShared.id, householdId: f.household.id, userId: f.user.id)?.userId == bob.id)
            #expect(try count(storage, "spending") == 1)
            #expect(try await storage.visibleFunnel(id: bobsFunnel.id, householdId: f.household.id, userId: bob.id) == nil)
            #expect(storage.directory.member(id: bob.id)?.householdId == elsewhere.id)
            #expect(storage.directory.member(id: bob.id)?.role == .owner)
            #expect(try await storage.households.members(of: f.household.id).members.map(\.id) == [f.user.id])
            // The last member cannot leave an empty household behind.
            let third = HouseholdRecord(id: newID(), name: "x", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            await #expect(throws: StorageError.lastMember) {
                try await storage.households.move(usernameKey: "alice", outOf: f.household.id, into: { _ in (third, []) })
            }
        }
    }
}
