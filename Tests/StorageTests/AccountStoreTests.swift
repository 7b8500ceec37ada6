import Foundation
import Storage
import Testing

@Suite struct AccountStoreTests {
    @Test func usernamesAreUniqueCaseInsensitively() async throws {
        try await withStorage { storage in
            _ = try await makeFixture(storage, username: "Ärger")
            #expect(try await storage.accounts.isUsernameTaken("äRGER"))
            #expect(try await !storage.accounts.isUsernameTaken("arger"))
            await #expect(throws: StorageError.usernameTaken) {
                _ = try await makeFixture(storage, username: "ÄRGER")
            }
            #expect(try count(storage, "household") == 1)
            #expect(try count(storage, "user") == 1)
        }
    }

    static let stepCases: [(Int64, [Int64], [Bool])] = [
        (1_000, [999, 1_000, 1_001], [false, false, true]),
        (5, [6, 5, 4, 7], [true, false, false, true]),
    ]

    @Test(arguments: stepCases)
    func consumeOTPStepRefusesAnEqualOrOlderStep(first: Int64, then: [Int64], expected: [Bool]) async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            #expect(try await storage.accounts.consumeOTPStep(userID: f.user.id, step: first))
            var answers: [Bool] = []
            for step in then {
                answers.append(try await storage.accounts.consumeOTPStep(userID: f.user.id, step: step))
            }
            #expect(answers == expected)
            #expect(try await !storage.accounts.consumeOTPStep(userID: newID(), step: 1))
        }
    }

    @Test func concurrentUsesOfOneStepAcceptExactlyOne() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 { group.addTask { try await storage.accounts.consumeOTPStep(userID: f.user.id, step: 77) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 1)
        }
    }

    @Test func anInviteIsUsedOnceAndExpires() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let invite = InviteRecord(code: "ABCDEFGHJK", householdID: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 1_000)
            try await storage.households.createInvite(invite)
            func join(_ username: String, at now: Int64) async throws -> UserRecord {
                let id = newID()
                return try await storage.accounts.register(
                    UserRecord(id: id, username: username, otpSecretSealed: Data([1]), lastOTPStep: nil, householdID: "", role: .owner, createdAt: now),
                    placement: .invite(code: invite.code),
                    session: DeviceSessionRecord(id: newID(), userID: id, name: "t", createdAt: now, refreshTokenID: newID()), now: now)
            }
            let bob = try await join("bob", at: testNow + 999)
            #expect(bob.householdID == f.household.id)
            #expect(bob.role == .member)
            #expect(storage.directory.member(id: bob.id)?.householdID == f.household.id)
            await #expect(throws: StorageError.inviteInvalid) { _ = try await join("carol", at: testNow + 1) }

            let late = InviteRecord(code: "ZZZZZZZZZZ", householdID: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 1_000)
            try await storage.households.createInvite(late)
            await #expect(throws: StorageError.inviteInvalid) {
                let id = newID()
                _ = try await storage.accounts.register(
                    UserRecord(id: id, username: "dave", otpSecretSealed: Data([1]), lastOTPStep: nil, householdID: "", role: .owner, createdAt: testNow),
                    placement: .invite(code: late.code),
                    session: DeviceSessionRecord(id: newID(), userID: id, name: "t", createdAt: testNow, refreshTokenID: newID()), now: testNow + 1_000)
            }
            #expect(try count(storage, "user") == 2)
            #expect(try count(storage, "device_session") == 2)
        }
    }

    @Test func movingAMemberOutTakesTheirPersonalFunnelsAndKeepsTheirSharedSpendings() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let invite = InviteRecord(code: "MOVEMOVEMV", householdID: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 10_000)
            try await storage.households.createInvite(invite)
            let bobID = newID()
            let bob = try await storage.accounts.register(
                UserRecord(id: bobID, username: "bob", otpSecretSealed: Data([1]), lastOTPStep: nil, householdID: "", role: .owner, createdAt: testNow + 1),
                placement: .invite(code: invite.code),
                session: DeviceSessionRecord(id: newID(), userID: bobID, name: "t", createdAt: testNow, refreshTokenID: newID()), now: testNow)
            let bobsFunnel = try await storage.funnels.insert(
                FunnelRecord(id: newID(), householdID: f.household.id, ownerID: bob.id, shared: false, name: "Bob", limitMinor: 1, color: "#000000", emoji: "🎲", position: 0, createdAt: testNow))
            let inShared = spending(in: f.shared, by: bob, amount: 300, at: testNow)
            let inPersonal = spending(in: bobsFunnel, by: bob, amount: 400, at: testNow)
            _ = try await storage.spendings.create(inShared)
            _ = try await storage.spendings.create(inPersonal)

            let elsewhere = HouseholdRecord(id: newID(), name: "Bob's", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            try await storage.households.move(userID: bob.id, outOf: f.household.id, into: elsewhere, funnels: [])
            #expect(try await storage.spendings.spending(id: inShared.id, householdID: f.household.id, userID: f.user.id)?.userID == bob.id)
            #expect(try count(storage, "spending") == 1)
            #expect(try await storage.funnels.funnel(id: bobsFunnel.id, householdID: f.household.id, userID: bob.id) == nil)
            #expect(storage.directory.member(id: bob.id)?.householdID == elsewhere.id)
            #expect(storage.directory.member(id: bob.id)?.role == .owner)
            #expect(try await storage.households.members(of: f.household.id).map(\.id) == [f.user.id])
            // The last member cannot leave an empty household behind.
            let third = HouseholdRecord(id: newID(), name: "x", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: testNow)
            await #expect(throws: StorageError.lastMember) {
                try await storage.households.move(userID: f.user.id, outOf: f.household.id, into: third, funnels: [])
            }
        }
    }
}
