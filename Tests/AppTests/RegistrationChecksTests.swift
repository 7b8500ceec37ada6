import Foundation
import HTTPTypes
import Testing
import TOTP

@testable import App

/// What the first step of signing up checks before it hands out a secret (so that a refusal
/// leaves no dead entry in an authenticator), and the time zone a new household takes from
/// the phone that created it.
@Suite struct RegistrationChecksTests {
    /// The second step with a secret of the first, as a client that passes `extra` in both.
    func signUp(_ api: API, _ username: String, _ extra: JSON = [:]) async throws -> (secret: Reply, account: Reply?) {
        let generated = try await api.post("/user/generate-otp-secret", json: extra.with("username", .string(username)))
        guard generated.status == .ok, let base32 = generated.object?["secret"] as? String, let secret = Base32.decode(base32) else {
            return (generated, nil)
        }
        let body = extra.with("username", .string(username)).with("otp_secret", .string(base32)).with("otp_example", .string(api.code(secret)))
        return (generated, try await api.post("/user/", json: body))
    }

    @Test func aWrongInviteIsRefusedBeforeTheSecret() async throws {
        try await withApp { api in
            let owner = try await api.register("maria")
            for wrong in ["WRONG-CODE", "abcd-efgh-jk"] {
                let (secret, account) = try await signUp(api, "jonas", ["invite": .string(wrong)])
                #expect(secret.status == .badRequest && account == nil)
                #expect(secret.text == #"{"detail":"Invite code is invalid or expired"}"#)
            }
            // A used code is as dead as a wrong one.
            let code = try await api.invite(owner.tokens.access)
            let first = try await signUp(api, "jonas", ["invite": .string(code)])
            #expect(first.secret.status == .ok && first.account?.status == .ok)
            let again = try await signUp(api, "ida", ["invite": .string(code)])
            #expect(again.secret.status == .badRequest && again.account == nil)
            // An expired one too (INVITE_TTL: a day by default).
            let later = try await api.invite(owner.tokens.access)
            api.clock.advance(2 * 86_400)
            let expired = try await signUp(api, "ida", ["invite": .string(later.lowercased())])
            #expect(expired.secret.status == .badRequest)
            let household = try await api.household(try await api.login(owner).access)
            #expect(household.members.map(\.username).sorted() == ["jonas", "maria"])
        }
    }

    @Test func aGoodInviteIsCheckedNotSpentByTheFirstStep() async throws {
        try await withApp { api in
            let owner = try await api.register("maria")
            let code = try await api.invite(owner.tokens.access)
            // Asked twice (the person went back), in another spelling: still there for the second step.
            let messy = " " + code.lowercased().replacingOccurrences(of: "-", with: " ") + " "
            let checked = try await api.post("/user/generate-otp-secret", json: ["username": "jonas", "invite": .string(code)])
            #expect(checked.status == .ok)
            let (secret, account) = try await signUp(api, "jonas", ["invite": .string(messy)])
            #expect(secret.status == .ok && account?.status == .ok)
            let jonas = try await api.household(try #require(account).decode(Tokens.self).access)
            let maria = try await api.household(owner.tokens.access)
            #expect(jonas.role == "member" && jonas.id == maria.id)
        }
    }

    @Test func wrongInvitesAtTheFirstStepCountTowardTheLockout() async throws {
        try await withApp(configure: { $0.signupLimit = 1000 }) { api in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<11 {
                statuses.append(try await api.post("/user/generate-otp-secret", json: ["username": .string("guess\(index)"), "invite": "WRONG-CODE"]).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .badRequest })
            #expect(statuses.last == .tooManyRequests)
            // The lockout holds for the second step as well, and for a code that would be right.
            let generated = try await api.post("/user/generate-otp-secret", json: ["username": "guess"])
            let base32 = try #require(generated.object?["secret"] as? String)
            let body: JSON = ["username": "guess", "otp_secret": .string(base32), "otp_example": .string(api.code(try #require(Base32.decode(base32)))), "invite": "WRONG-CODE"]
            let locked = try await api.post("/user/", json: body)
            #expect(locked.status == .tooManyRequests)
        }
    }

    @Test func aNewHouseholdTakesThePhonesTimeZone() async throws {
        try await withApp { api in
            let (_, account) = try await signUp(api, "maria", ["time_zone": "America/New_York"])
            let tokens = try #require(account).decode(Tokens.self)
            let created = try await api.household(tokens.access)
            #expect(created.timeZone == "America/New_York")
            // Without one, the server's TIME_ZONE (UTC in these tests), as the old app's client does.
            let plain = try await api.register("ida")
            let serverZone = try await api.household(plain.tokens.access)
            #expect(serverZone.timeZone == "UTC")
            // A member keeps the household's zone, whatever their phone says.
            let code = try await api.invite(tokens.access)
            let (_, joined) = try await signUp(api, "jonas", ["invite": .string(code), "time_zone": "Asia/Tokyo"])
            let jonas = try #require(joined).decode(Tokens.self)
            let joinedZone = try await api.household(jonas.access)
            #expect(joinedZone.timeZone == "America/New_York")
        }
    }

    @Test(arguments: ["Mars/Olympus_Mons", "CET", "GMT+1", "", "Europe/Berlin\u{0}"])
    func anUnknownTimeZoneIsRefusedAtBothSteps(zone: String) async throws {
        try await withApp { api in
            let first = try await api.post("/user/generate-otp-secret", json: ["username": "maria", "time_zone": .string(zone)])
            #expect(first.status == .unprocessableContent && first.text.contains("time_zone"))
            let base32 = Base32.encode(OTPSecret.generate())
            let body: JSON = ["username": "maria", "otp_secret": .string(base32), "otp_example": .string(api.code(try #require(Base32.decode(base32)))), "time_zone": .string(zone)]
            let second = try await api.post("/user/", json: body)
            #expect(second.status == .unprocessableContent && second.text.contains("time_zone"))
            let stored = try await api.stores.accounts.user(username: "maria")
            #expect(stored == nil)
        }
    }
}
