import Foundation
import Storage
import Testing

@Suite struct SessionStoreTests {
    @Test func aRefreshTokenIdRotatesOnceAndItsReuseRevokesTheSession() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let sessions = storage.sessions
            let first = f.session.refreshTokenID
            let second = newID()
            #expect(try await sessions.rotate(sessionID: f.session.id, userID: f.user.id, presented: first, next: second, now: testNow + 1) == .rotated)
            #expect(try await sessions.session(id: f.session.id)?.refreshTokenID == second)
            #expect(!sessions.revocations.isRevoked(userID: f.user.id, sessionID: f.session.id, issuedAt: testNow / 1000))

            #expect(try await sessions.rotate(sessionID: f.session.id, userID: f.user.id, presented: first, next: newID(), now: testNow + 2) == .reused)
            #expect(sessions.revocations.isRevoked(userID: f.user.id, sessionID: f.session.id, issuedAt: testNow / 1000))
            #expect(try await sessions.session(id: f.session.id)?.revokedAt == testNow + 2)
            // Even the newest token of the session is now refused.
            #expect(try await sessions.rotate(sessionID: f.session.id, userID: f.user.id, presented: second, next: newID(), now: testNow + 3) == .revoked)
            #expect(try await sessions.activeSessions(userID: f.user.id).isEmpty)
            #expect(try await sessions.rotate(sessionID: newID(), userID: f.user.id, presented: second, next: newID(), now: testNow) == .unknown)
            #expect(try await sessions.rotate(sessionID: f.session.id, userID: newID(), presented: second, next: newID(), now: testNow) == .unknown)
        }
    }

    @Test func concurrentRotationsOfOneTokenSucceedOnce() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let outcomes = try await withThrowingTaskGroup(of: SessionStore.Rotation.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await storage.sessions.rotate(
                            sessionID: f.session.id, userID: f.user.id, presented: f.session.refreshTokenID, next: newID(), now: testNow)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .rotated }.count == 1)
            #expect(outcomes.filter { $0 == .rotated }.count + outcomes.filter { $0 == .reused || $0 == .revoked }.count == 20)
        }
    }

    @Test func revokeAndRevokeAllSignDevicesOut() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let sessions = storage.sessions
            let phone = DeviceSessionRecord(id: newID(), userID: f.user.id, name: "phone", createdAt: testNow + 1, refreshTokenID: newID())
            let laptop = DeviceSessionRecord(id: newID(), userID: f.user.id, name: "laptop", createdAt: testNow + 2, refreshTokenID: newID())
            try await sessions.create(phone)
            try await sessions.create(laptop)
            #expect(try await sessions.activeSessions(userID: f.user.id).map(\.id) == [laptop.id, phone.id, f.session.id])

            #expect(try await !sessions.revoke(sessionID: phone.id, userID: newID(), now: testNow))
            #expect(try await sessions.revoke(sessionID: phone.id, userID: f.user.id, now: testNow))
            #expect(try await !sessions.revoke(sessionID: phone.id, userID: f.user.id, now: testNow))
            #expect(sessions.revocations.isRevoked(userID: f.user.id, sessionID: phone.id, issuedAt: 0))
            #expect(!sessions.revocations.isRevoked(userID: f.user.id, sessionID: laptop.id, issuedAt: 0))

            try await sessions.revokeAll(userID: f.user.id, keeping: laptop.id, notBefore: nil, now: testNow)
            #expect(try await sessions.activeSessions(userID: f.user.id).map(\.id) == [laptop.id])
            #expect(sessions.revocations.isRevoked(userID: f.user.id, sessionID: f.session.id, issuedAt: 0))

            try await sessions.revokeAll(userID: f.user.id, keeping: nil, notBefore: 1_000, now: testNow)
            #expect(try await sessions.activeSessions(userID: f.user.id).isEmpty)
            // The "not before" mark refuses older tokens of any session of the user, and only of that user.
            #expect(sessions.revocations.isRevoked(userID: f.user.id, sessionID: newID(), issuedAt: 999))
            #expect(!sessions.revocations.isRevoked(userID: f.user.id, sessionID: newID(), issuedAt: 1_000))
            #expect(!sessions.revocations.isRevoked(userID: newID(), sessionID: newID(), issuedAt: 999))
        }
    }

    @Test func theRevocationListReloadsFromTheDatabaseAfterReopening() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try Storage(database: StrackerDatabase(path: folder.databasePath))
        let f = try await makeFixture(first)
        let other = DeviceSessionRecord(id: newID(), userID: f.user.id, name: "other", createdAt: testNow, refreshTokenID: newID())
        try await first.sessions.create(other)
        #expect(try await first.sessions.revoke(sessionID: f.session.id, userID: f.user.id, now: testNow))
        try await first.sessions.revokeAll(userID: f.user.id, keeping: other.id, notBefore: 500, now: testNow)
        try first.database.close()

        let second = try Storage(database: StrackerDatabase(path: folder.databasePath))
        defer { try? second.database.close() }
        let revocations = second.sessions.revocations
        #expect(revocations.isRevoked(userID: f.user.id, sessionID: f.session.id, issuedAt: 10_000))
        #expect(!revocations.isRevoked(userID: f.user.id, sessionID: other.id, issuedAt: 10_000))
        #expect(revocations.isRevoked(userID: f.user.id, sessionID: other.id, issuedAt: 499))
        #expect(try await second.sessions.activeSessions(userID: f.user.id).map(\.id) == [other.id])
    }
}
