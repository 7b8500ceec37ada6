import Foundation
import Testing

@testable import App
@testable import Storage

/// Every cache the server keeps in memory has a bound, whatever callers send.
@Suite struct CacheBoundTests {
    @Test func verifiedTokensKeepAtMostTheirCapacity() {
        let tokens = VerifiedTokens(capacity: 4)
        let claims = TokenClaims(sub: "u", username: "a", sid: "s", jti: "j", type: .access, iat: 1, exp: 2)
        for index in 0..<50 {
            tokens.remember("token-\(index)", claims)
            #expect(tokens.count <= 4)
            // The token just remembered is always there: a bound never costs the current one.
            #expect(tokens.claims(for: "token-\(index)") == claims)
        }
    }

    @Test func sessionActivityKeepsAtMostItsCapacity() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stracker-activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stores = try Stores(database: StrackerDatabase(path: folder.appendingPathComponent("db.sqlite").path))
        defer { try? stores.database.close() }
        let activity = SessionActivity(sessions: stores.sessions, capacity: 8)
        for index in 0..<100 {
            await activity.seen(sessionId: "session-\(index)", now: 1_000_000 + Int64(index))
            #expect(activity.trackedCount <= 8)
        }
    }

    @Test func aSprayOfKeysNeitherGrowsTheThrottleNorUnlocksTheTarget() {
        let throttle = LoginThrottle(policy: .init(limit: 5, window: 900, lockout: 60), capacity: 100)
        let now: Int64 = 1_000_000
        for _ in 0..<5 { throttle.recordFailure("victim", now: now) }
        #expect(throttle.retryAfter("victim", now: now) == 60)
        for index in 0..<1_000 {
            throttle.recordFailure("spray-\(index)", now: now + 1)
            #expect(throttle.count <= 100)
        }
        #expect(throttle.retryAfter("victim", now: now + 1) == 59)
        // The newest keys are remembered: the last failures still count toward a lockout.
        for _ in 0..<4 { throttle.recordFailure("spray-999", now: now + 2) }
        #expect(throttle.retryAfter("spray-999", now: now + 2) != nil)
    }

    @Test func memberViewsKeepAtMostTheirCapacityAndStillAnswerRight() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stracker-views-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stores = try Stores(database: StrackerDatabase(path: folder.appendingPathComponent("db.sqlite").path))
        defer { try? stores.database.close() }
        let views = MemberViews(snapshots: stores.snapshots, versions: stores.versions, capacity: 3)
        let now = Date(timeIntervalSince1970: 1_760_000_000)
        var identities: [Identity] = []
        for index in 0..<7 {
            let (userId, householdId) = (UUID().uuidString, UUID().uuidString)
            let household = HouseholdRecord(
                id: householdId, name: "home \(index)", currency: "EUR", periodStartDay: 1, timeZone: "UTC", createdAt: 0)
            let funnel = FunnelRecord(
                id: UUID().uuidString, householdId: householdId, ownerId: userId, shared: true, name: "Food \(index)",
                limitMinor: 100, color: "#000000", emoji: "", position: 0, createdAt: 0)
            let session = DeviceSessionRecord(id: UUID().uuidString, userId: userId, name: "t", createdAt: 0, refreshTokenId: UUID().uuidString)
            _ = try await stores.accounts.register(
                UserRecord(id: userId, username: "user\(index)", otpSecretSealed: Data([1]), lastOtpStep: nil, householdId: "", role: .owner, createdAt: 0),
                placement: .newHousehold(household, funnels: [funnel]), session: session, now: 0)
            let claims = TokenClaims(sub: userId, username: "user\(index)", sid: session.id, jti: "j", type: .access, iat: 0, exp: 1)
            identities.append(Identity(userId: userId, username: "user\(index)", sessionId: session.id, householdId: householdId, role: .owner, claims: claims))
        }
        for round in 0..<3 {
            for (index, identity) in identities.enumerated() {
                let snapshot = try await views.snapshot(for: identity, now: now)
                #expect(snapshot.household.name == "home \(index)", "round \(round)")
                #expect(snapshot.funnels.map(\.funnel.name) == ["Food \(index)"])
                #expect(views.count <= 3)
            }
        }
    }
}
