import Foundation
import GRDB
import HTTPTypes
import Testing
import TOTP

@testable import App

/// A lost authenticator (issue 8, item 14): recovery codes, each good for one sign-in that sets
/// up a new authenticator, and the owner's one-time link for a member.
@Suite struct RecoveryTests {
    struct Enrolment: Decodable {
        let enrolment: String
        let expiresAt: Int64
        let username: String
        let secret: String
        let uri: String
        let qrSvg: String
    }

    struct Codes: Decodable {
        let codes: [String]
        let createdAt: Int64
    }

    func newCodes(_ api: API, _ token: String) async throws -> [String] {
        let reply = try await api.post("/user/recovery-codes", token: token)
        try #require(reply.status == .created, "\(reply)")
        return try reply.decode(Codes.self).codes
    }

    func recover(_ api: API, _ username: String, _ code: String) async throws -> Reply {
        try await api.post("/user/recover", json: ["username": .string(username), "recovery_code": .string(code)])
    }

    /// Sets up the new authenticator the ticket's answer offers; answers the reply and the secret.
    func enrol(_ api: API, _ enrolment: Enrolment, deviceName: String = "New phone") async throws -> (Reply, [UInt8]) {
        let secret = try #require(Base32.decode(enrolment.secret))
        let body: JSON = [
            "enrolment": .string(enrolment.enrolment), "otp_secret": .string(enrolment.secret),
            "otp_example": .string(api.code(secret)), "device_name": .string(deviceName),
        ]
        return (try await api.post("/user/enrol", json: body), secret)
    }

    @Test func aRecoveryCodeSignsInOnceAndSetsUpANewAuthenticator() async throws {
        try await withApp { api in
            let maria = try await api.register("maria")
            let other = try await api.login(maria)
            let codes = try await newCodes(api, maria.access)
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(codes.allSatisfy { $0.wholeMatch(of: /[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}/) != nil })
            let status = try await api.get("/user/recovery-codes", token: maria.access)
            #expect(status.object?["remaining"] as? Int == 10)

            // Typed loosely (lower case, no hyphens, a space): still the code. Any case of the name.
            let loose = codes[3].lowercased().replacingOccurrences(of: "-", with: " ")
            let recovered = try await recover(api, "MARIA", loose)
            #expect(recovered.status == .ok, "\(recovered)")
            let enrolment = try recovered.decode(Enrolment.self)
            #expect(enrolment.username == "maria" && enrolment.uri.contains(enrolment.secret) && enrolment.qrSvg.hasPrefix("<svg"))
            #expect(enrolment.expiresAt == api.clock.millis + 15 * 60 * 1000)
            // Used: the same code never works again.
            let again = try await recover(api, "maria", codes[3])
            #expect(again.status == .forbidden && again.detail == "Invalid recovery code")

            let (enrolled, secret) = try await enrol(api, enrolment)
            #expect(enrolled.status == .ok, "\(enrolled)")
            let tokens = try enrolled.decode(Tokens.self)
            let decoded = try await api.get("/user/decode", token: tokens.access)
            #expect(decoded.object?["username"] as? String == "maria")
            // The lost phone (every earlier device) is signed out; the old secret signs in no more.
            for old in [maria.tokens, other] {
                let refused = try await api.get("/user/decode", token: old.access)
                #expect(refused.detail == "Token is blacklisted")
            }
            api.clock.advance(30)
            let oldCode = try await api.post("/user/login", json: ["username": "maria", "otp": .string(api.code(maria.secret))])
            #expect(oldCode.status == .forbidden)
            api.clock.advance(30)
            let newCode = try await api.post("/user/login", json: ["username": "maria", "otp": .string(api.code(secret))])
            #expect(newCode.status == .ok)
            // The ticket is spent, and nine codes are left.
            let twice = try await enrol(api, enrolment).0
            #expect(twice.status == .badRequest && twice.detail == "Enrolment link is invalid or expired")
            let left = try await api.get("/user/recovery-codes", token: tokens.access)
            #expect(left.object?["remaining"] as? Int == 9)
            let devices: [Device] = try await api.get("/user/devices", token: tokens.access).decode()
            #expect(devices.map(\.name).contains("New phone"))
        }
    }

    @Test func aNewSetReplacesTheOldAndOnlyHashesAreStored() async throws {
        try await withApp { api in
            let maria = try await api.register("maria")
            let first = try await newCodes(api, maria.access)
            let second = try await newCodes(api, maria.access)
            #expect(Set(first).isDisjoint(with: second))
            let old = try await recover(api, "maria", first[0])
            #expect(old.status == .forbidden)
            let stored = try await api.stores.database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT code_hash FROM recovery_code").map { $0["code_hash"] as Data }
            }
            #expect(stored.count == 10 && stored.allSatisfy { $0.count == 32 })
            let everything = try Data(contentsOf: URL(fileURLWithPath: api.settings.databasePath))
            for code in second {
                #expect(everything.range(of: Data(RecoveryCodes.normalize(code).utf8)) == nil)
                #expect(everything.range(of: Data(code.utf8)) == nil)
            }
            // Another user's code is not this user's, and an unknown name gives the same answer.
            let jonas = try await api.register("jonas")
            let theirs = try await newCodes(api, jonas.access)
            let crossed = try await recover(api, "maria", theirs[0])
            #expect(crossed.status == .forbidden)
            let nobody = try await recover(api, "nobody", theirs[0])
            #expect(nobody.status == .forbidden && nobody.detail == crossed.detail)
        }
    }

    @Test func wrongRecoveryCodesLockTheUsernameAsWrongSignInCodesDo() async throws {
        try await withApp { api in
            let maria = try await api.register("maria")
            let codes = try await newCodes(api, maria.access)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 { statuses.append(try await recover(api, "maria", "AAAA-BBBB-CCCC").status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == .forbidden } && statuses.last == .tooManyRequests)
            // Locked: even a right code waits.
            let locked = try await recover(api, "maria", codes[0])
            #expect(locked.status == .tooManyRequests)
        }
    }

    /// Closing registration keeps new people out, not members who lost a phone: the recovery
    /// routes answer on their own terms there.
    @Test(arguments: [AppSettings.Registration.closed, .invite])
    func recoveryIsNotGatedByRegistration(registration: AppSettings.Registration) async throws {
        try await withApp(configure: { $0.registration = registration }) { api in
            let signUp = try await api.post("/user/generate-otp-secret", json: ["username": "maria"])
            #expect(signUp.status == .forbidden)
            let recovered = try await recover(api, "maria", "AAAA-BBBB-CCCC")
            #expect(recovered.detail == "Invalid recovery code")
            let enrolment = try await api.post("/user/enrolment", json: ["enrolment": "not-a-ticket"])
            #expect(enrolment.detail == "Enrolment link is invalid or expired")
        }
    }

    @Test func theOwnerMakesAOneTimeLinkForAMember() async throws {
        try await withApp { api in
            let owner = try await api.register("maria")
            let jonas = try await api.register("jonas", invite: try await api.invite(owner.access))
            let stranger = try await api.register("ida")

            let made = try await api.post("/household/members/JONAS/enrolment", token: owner.access)
            #expect(made.status == .created, "\(made)")
            let link = try #require(made.object?["code"] as? String)
            #expect(made.object?["expires_at"] as? Int64 == api.clock.millis + 24 * 3600 * 1000)
            #expect(link.count >= 43)

            // Not for a member to make, not for someone outside the household, not for oneself.
            let byMember = try await api.post("/household/members/maria/enrolment", token: jonas.access)
            #expect(byMember.status == .forbidden)
            let outside = try await api.post("/household/members/ida/enrolment", token: owner.access)
            #expect(outside.status == .notFound)
            let own = try await api.post("/household/members/maria/enrolment", token: owner.access)
            #expect(own.status == .conflict)
            _ = stranger

            // The link says for whom and offers a secret; a newer link replaces it.
            let shown = try await api.post("/user/enrolment", json: ["enrolment": .string(link)])
            #expect(shown.status == .ok)
            let enrolment = try shown.decode(Enrolment.self)
            #expect(enrolment.username == "jonas")
            let newer = try await api.post("/household/members/jonas/enrolment", token: owner.access)
            let newerLink = try #require(newer.object?["code"] as? String)
            let replaced = try await api.post("/user/enrolment", json: ["enrolment": .string(link)])
            #expect(replaced.status == .badRequest)

            let fresh = try await api.post("/user/enrolment", json: ["enrolment": .string(newerLink)])
            let (enrolled, _) = try await enrol(api, try fresh.decode(Enrolment.self))
            #expect(enrolled.status == .ok)
            let refused = try await api.get("/user/decode", token: jonas.access)
            #expect(refused.detail == "Token is blacklisted")
            let tokens = try enrolled.decode(Tokens.self)
            let household = try await api.household(tokens.access)
            #expect(household.role == "member" && household.members.count == 2)

            // Expired after a day.
            let late = try await api.post("/household/members/jonas/enrolment", token: try await api.login(owner).access)
            let lateLink = try #require(late.object?["code"] as? String)
            api.clock.advance(24 * 3600 + 1)
            let expired = try await api.post("/user/enrolment", json: ["enrolment": .string(lateLink)])
            #expect(expired.status == .badRequest)
        }
    }

    @Test func wrongLinksAreThrottledPerAddress() async throws {
        try await withApp { api in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<11 {
                statuses.append(try await api.post("/user/enrolment", json: ["enrolment": .string("guess-\(index)")]).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .badRequest } && statuses.last == .tooManyRequests)
        }
    }
}
