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
            #expect(try await storage.accounts.consumeOTPStep(userId: f.user.id, step: first))
            var answers: [Bool] = []
            for step in then {
                answers.append(try await storage.accounts.consumeOTPStep(userId: f.user.id, step: step))
            }
            #expect(answers == expected)
            #expect(try await !storage.accounts.consumeOTPStep(userId: newID(), step: 1))
        }
    }

    @Test func concurrentUsesOfOneStepAcceptExactlyOne() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 { group.addTask { try await storage.accounts.consumeOTPStep(userId: f.user.id, step: 77) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 1)
        }
    }

    @Test func anInviteIsUsedOnceAndExpires() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let invite = InviteRecord(code: "ABCDEFGHJK", householdId: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 1_000)
            try await storage.households.createInvite(invite)
            func join(_ username: String, at now: Int64) async throws -> UserRecord {
                let id = newID()
                return try await storage.accounts.register(
                    UserRecord(id: id, username: username, otpSecretSealed: Data([1]), lastOtpStep: nil, householdId: "", role: .owner, createdAt: now),
                    placement: .invite(code: invite.code),
                    session: DeviceSessionRecord(id: newID(), userId: id, name: "t", createdAt: now, refreshTokenId: newID()), now: now)
            }
            let bob = try await join("bob", at: testNow + 999)
            #expect(bob.householdId == f.household.id)
            #expect(bob.role == .member)
            #expect(storage.directory.member(id: bob.id)?.householdId == f.household.id)
            await #expect(throws: StorageError.inviteInvalid) { _ = try await join("carol", at: testNow + 1) }

            let late = InviteRecord(code: "ZZZZZZZZZZ", householdId: f.household.id, createdBy: f.user.id, createdAt: testNow, expiresAt: testNow + 1_000)
            try await storage.households.createInvite(late)
            await #expect(throws: StorageError.inviteInvalid) {
                let id = newID()
                _ = try await storage.accounts.register(
                    UserRecord(id: id, username: "dave", otpSecretSealed: Data([1]), lastOtpStep: nil, householdId: "", role: .owner, createdAt: testNow),
                    placement: .invite(code: late.code),
                    session: DeviceSessionRecord(id: newID(), userId: id, name: "t", createdAt: testNow, refreshTokenId: newID()), now: testNow + 1_000)
            }
            #expect(try count(storage, "user") == 2)
            #expect(try count(storage, "device_session") == 2)
        }
    }
}
