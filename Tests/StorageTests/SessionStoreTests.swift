import Foundation
import Storage
import Testing

@Suite struct SessionStoreTests {
    @Test func aRefreshTokenIdRotatesOnceAndItsReuseRevokesTheSession() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let sessions = storage.sessions
            let first = f.session.refreshTokenId
            let second = newID()
            #expect(try await sessions.rotate(sessionId: f.session.id, userId: f.user.id, presented: first, next: second, now: testNow + 1) == .rotated)
            #expect(try await sessions.session(id: f.session.id)?.refreshTokenId == second)
            #expect(sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: testNow / 1000))

            #expect(try await sessions.rotate(sessionId: f.session.id, userId: f.user.id, presented: first, next: newID(), now: testNow + 2) == .reused)
            #expect(!sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: testNow / 1000))
            #expect(try await sessions.session(id: f.session.id)?.revokedAt == testNow + 2)
            // Even the newest token of the session is now refused.
            #expect(try await sessions.rotate(sessionId: f.session.id, userId: f.user.id, presented: second, next: newID(), now: testNow + 3) == .revoked)
            #expect(try await sessions.activeSessions(userId: f.user.id).isEmpty)
            #expect(try await sessions.rotate(sessionId: newID(), userId: f.user.id, presented: second, next: newID(), now: testNow) == .unknown)
            #expect(try await sessions.rotate(sessionId: f.session.id, userId: newID(), presented: second, next: newID(), now: testNow) == .unknown)
        }
    }

    @Test func concurrentRotationsOfOneTokenSucceedOnce() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let outcomes = try await withThrowingTaskGroup(of: SessionStore.Rotation.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await storage.sessions.rotate(
                            sessionId: f.session.id, userId: f.user.id, presented: f.session.refreshTokenId, next: newID(), now: testNow)
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
            let phone = DeviceSessionRecord(id: newID(), userId: f.user.id, name: "phone", createdAt: testNow + 1, refreshTokenId: newID())
            let laptop = DeviceSessionRecord(id: newID(), userId: f.user.id, name: "laptop", createdAt: testNow + 2, refreshTokenId: newID())
            try await sessions.create(phone)
            try await sessions.create(laptop)
            #expect(try await sessions.activeSessions(userId: f.user.id).map(\.id) == [laptop.id, phone.id, f.session.id])

            #expect(try await !sessions.revoke(sessionId: phone.id, userId: newID(), now: testNow))
            #expect(try await sessions.revoke(sessionId: phone.id, userId: f.user.id, now: testNow))
            #expect(try await !sessions.revoke(sessionId: phone.id, userId: f.user.id, now: testNow))
            #expect(!sessions.live.admits(userId: f.user.id, sessionId: phone.id, issuedAt: 0))
            #expect(sessions.live.admits(userId: f.user.id, sessionId: laptop.id, issuedAt: 0))

            try await sessions.revokeAll(userId: f.user.id, keeping: laptop.id, notBefore: nil, now: testNow)
            #expect(try await sessions.activeSessions(userId: f.user.id).map(\.id) == [laptop.id])
            #expect(!sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: 0))

            try await sessions.revokeAll(userId: f.user.id, keeping: nil, notBefore: 1_000, now: testNow)
            #expect(try await sessions.activeSessions(userId: f.user.id).isEmpty)
            #expect(!sessions.live.admits(userId: f.user.id, sessionId: laptop.id, issuedAt: 2_000))
            // The "not before" mark also refuses older tokens of a session signed in afterwards.
            let tablet = DeviceSessionRecord(id: newID(), userId: f.user.id, name: "tablet", createdAt: testNow + 3, refreshTokenId: newID())
            try await sessions.create(tablet)
            #expect(!sessions.live.admits(userId: f.user.id, sessionId: tablet.id, issuedAt: 999))
            #expect(sessions.live.admits(userId: f.user.id, sessionId: tablet.id, issuedAt: 1_000))
            // A token must name a live session of its own user.
            #expect(!sessions.live.admits(userId: f.user.id, sessionId: newID(), issuedAt: 1_000))
            let other = try await makeFixture(storage, username: "bob")
            #expect(!sessions.live.admits(userId: other.user.id, sessionId: tablet.id, issuedAt: 1_000))
        }
    }

    @Test func theRevocationListReloadsFromTheDatabaseAfterReopening() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try Stores(database: StrackerDatabase(path: folder.databasePath))
        let f = try await makeFixture(first)
        let other = DeviceSessionRecord(id: newID(), userId: f.user.id, name: "other", createdAt: testNow, refreshTokenId: newID())
        try await first.sessions.create(other)
        #expect(try await first.sessions.revoke(sessionId: f.session.id, userId: f.user.id, now: testNow))
        try await first.sessions.revokeAll(userId: f.user.id, keeping: other.id, notBefore: 500, now: testNow)
        try first.database.close()

        let second = try Stores(database: StrackerDatabase(path: folder.databasePath))
        defer { try? second.database.close() }
        let live = second.sessions.live
        #expect(!live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: 10_000))
        #expect(live.admits(userId: f.user.id, sessionId: other.id, issuedAt: 10_000))
        #expect(!live.admits(userId: f.user.id, sessionId: other.id, issuedAt: 499))
        #expect(try await second.sessions.activeSessions(userId: f.user.id).map(\.id) == [other.id])
    }

    @Test func aRevocationByAnotherProcessReachesTheRunningMirror() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let server = try Stores(database: StrackerDatabase(path: folder.databasePath))
        defer { try? server.database.close() }
        let f = try await makeFixture(server)
        #expect(server.sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: 10_000))
        // `stracker user sign-out` opens its own connections to the same file.
        let command = try Stores(database: StrackerDatabase(path: folder.databasePath))
        try await command.sessions.revokeAll(userId: f.user.id, keeping: nil, notBefore: 20_000, now: testNow)
        try command.database.close()
        #expect(!server.sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: 10_000))
    }

    @Test func aSessionRevokedOutsideTheStoresIsRefusedOnTheNextCheck() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            #expect(storage.sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: 10_000))
            try await storage.database.pool.write { db in
                try db.execute(sql: "UPDATE device_session SET revoked_at = 1 WHERE id = ?", arguments: [f.session.id])
            }
            #expect(!storage.sessions.live.admits(userId: f.user.id, sessionId: f.session.id, issuedAt: 10_000))
        }
    }
}
