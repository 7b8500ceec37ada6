import Foundation
import Hummingbird
import TOTP
import Testing

@Suite struct AccountTests {
    // MARK: generate-otp-secret

    @Test func generateOTPSecretGivesAFreshSecretURIAndQRCode() async throws {
        try await withApp { api in
            let reply = try await api.post("/user/generate-otp-secret", json: ["username": "Alice Smith"])
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/json")
            let secret = try #require(reply.object?["secret"] as? String)
            #expect(secret.count == 32)
            #expect(secret.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
            #expect(Base32.decode(secret)?.count == 20)
            let uri = try #require(reply.object?["uri"] as? String)
            #expect(uri.hasPrefix("otpauth://totp/"))
            #expect(uri.contains("secret=\(secret)"))
            #expect(uri.contains("issuer=STracker"))
            #expect(uri.contains("Alice%20Smith"))
            let svg = try #require(reply.object?["qr_svg"] as? String)
            #expect(svg.hasPrefix("<svg"))
            #expect(svg.hasSuffix("</svg>") || svg.hasSuffix("</svg>\n"))

            let again = try await api.post("/user/generate-otp-secret", json: ["username": "Alice Smith"])
            #expect(again.object?["secret"] as? String != secret)
        }
    }

    /// Telling here whether a name is taken would let anyone list the server's users at speed;
    /// registration, which is throttled, says it instead.
    @Test(arguments: ["alice", "ALICE", " Alice "])
    func generateOTPSecretDoesNotTellWhetherAUsernameIsTaken(_ name: String) async throws {
        try await withApp { api in
            _ = try await api.register("Alice")
            let taken = try await api.post("/user/generate-otp-secret", json: ["username": .string(name)])
            let free = try await api.post("/user/generate-otp-secret", json: ["username": "Bob"])
            #expect(taken.status == .ok && free.status == .ok)
            #expect(taken.object.map { Set($0.keys) } == free.object.map { Set($0.keys) })
            let secret = try #require(taken.object?["secret"] as? String)
            let register = try await api.post(
                "/user/", json: ["username": .string(name), "otp_secret": .string(secret), "otp_example": .string(api.code(try #require(Base32.decode(secret))))])
            #expect(register.status == .badRequest)
            #expect(register.text == #"{"detail":"Username already taken"}"#)
        }
    }

    // MARK: register

    @Test func registerAnswersATokenPair() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            #expect(account.tokens.access != account.tokens.refresh)
            let decoded = try await api.get("/user/decode", token: account.access)
            #expect(decoded.status == .ok)
            #expect(decoded.object?["username"] as? String == "alice")
            #expect(try await api.stores.accounts.isUsernameTaken("ALICE"))
        }
    }

    @Test func registerWithAWrongCodeIsRefusedAndStoresNothing() async throws {
        try await withApp { api in
            let secret = OTPSecret.generate()
            let body: JSON = ["username": "alice", "otp_secret": .string(Base32.encode(secret)), "otp_example": .string(api.wrongCode(secret))]
            let reply = try await api.post("/user/", json: body)
            #expect(reply.status == .badRequest)
            #expect(reply.text == #"{"detail":"Invalid OTP"}"#)
            #expect(try await !api.stores.accounts.isUsernameTaken("alice"))
            // A secret the client chose (Base32 of at least 128 bits) works with its right code.
            let right = try await api.post("/user/", json: body.with("otp_example", .string(api.code(secret))))
            #expect(right.status == .ok, "\(right)")
        }
    }

    @Test(arguments: [
        "not base32!!", "", "AAAAAAAAAAAAAAAAAAAAAAAA" /* 120 bits */, "AAAAAAAAAAAAAAAAAAAAAAA1", "ÄAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func registerRefusesASecretThatIsNotBase32OfAtLeast128Bits(_ secret: String) async throws {
        try await withApp { api in
            let reply = try await api.post("/user/", json: ["username": "alice", "otp_secret": .string(secret), "otp_example": "123456"])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.isValidationList)
            #expect(reply.issues.first?.loc == ["body", "otp_secret"])
        }
    }

    @Test func aSecretOf128BitsIsEnough() async throws {
        try await withApp { api in
            let secret = [UInt8](repeating: 7, count: 16)
            let reply = try await api.post(
                "/user/", json: ["username": "alice", "otp_secret": .string(Base32.encode(secret).lowercased()), "otp_example": .string(api.code(secret))])
            #expect(reply.status == .ok, "\(reply)")
        }
    }

    @Test(arguments: ["", "   ", "\t\n", String(repeating: "a", count: 65), "ab\u{0}c"])
    func registerRefusesABadUsername(_ username: String) async throws {
        try await withApp { api in
            let secret = OTPSecret.generate()
            let reply = try await api.post(
                "/user/", json: ["username": .string(username), "otp_secret": .string(Base32.encode(secret)), "otp_example": .string(api.code(secret))])
            #expect(reply.status == .unprocessableContent, "\(reply)")
            #expect(reply.issues.first?.loc == ["body", "username"])
            let generate = try await api.post("/user/generate-otp-secret", json: ["username": .string(username)])
            #expect(generate.status == .unprocessableContent)
        }
    }

    @Test func usernamesOf64CharactersAreFineAndAreTrimmed() async throws {
        try await withApp { api in
            let long = String(repeating: "é", count: 64)
            let account = try await api.register(long)
            #expect(try await api.get("/user/decode", token: account.access).object?["username"] as? String == long)
            let padded = try await api.register("  bob  ")
            #expect(try await api.get("/user/decode", token: padded.access).object?["username"] as? String == "bob")
        }
    }

    @Test func registerRefusesATakenUsernameCaseInsensitively() async throws {
        try await withApp { api in
            _ = try await api.register("Alice")
            let secret = OTPSecret.generate()
            let reply = try await api.post(
                "/user/", json: ["username": "aLICE", "otp_secret": .string(Base32.encode(secret)), "otp_example": .string(api.code(secret))])
            #expect(reply.status == .badRequest)
            #expect(reply.detail == "Username already taken")
        }
    }

    // MARK: login

    @Test func loginWithTheCurrentCode() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(30)
            let reply = try await api.post("/user/login", json: ["username": "ALICE", "otp": .string(api.code(account.secret))])
            #expect(reply.status == .ok)
            let tokens: Tokens = try reply.decode()
            #expect(try await api.get("/user/decode", token: tokens.access).status == .ok)
        }
    }

    @Test func loginWithAWrongCodeOrUnknownUserIsRefused() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(30)
            let wrong = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.wrongCode(account.secret))])
            #expect(wrong.status == .forbidden)
            #expect(wrong.text == #"{"detail":"Invalid password"}"#)
            let unknown = try await api.post("/user/login", json: ["username": "nobody", "otp": .string(api.code(account.secret))])
            #expect(unknown.status == .forbidden)
            #expect(unknown.detail == "Invalid password")
            for junk in ["", "12345", "1234567", "abcdef", " ", "１２３４５６"] {
                let reply = try await api.post("/user/login", json: ["username": "alice", "otp": .string(junk)])
                #expect(reply.status == .forbidden || reply.status == .tooManyRequests, "\(junk): \(reply)")
            }
        }
    }

    @Test func aCodeIsAcceptedOnce() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            // The registration used the current step.
            let replayOfRegistration = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))])
            #expect(replayOfRegistration.status == .forbidden)
            api.clock.advance(30)
            let body: JSON = ["username": "alice", "otp": .string(api.code(account.secret))]
            #expect(try await api.post("/user/login", json: body).status == .ok)
            api.clock.advance(5)
            let replay = try await api.post("/user/login", json: body)
            #expect(replay.status == .forbidden)
            #expect(replay.detail == "Invalid password")
        }
    }

    static let windowCases: [(steps: Int64, accepted: Bool)] = [(-1, true), (1, true), (0, true), (-2, false), (2, false)]

    @Test(arguments: windowCases)
    func theStepBeforeAndAfterAreAcceptedNotFurther(steps: Int64, accepted: Bool) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(120)  // well past the registration's step
            let reply = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret, steps: steps))])
            #expect(reply.status == (accepted ? .ok : .forbidden), "\(reply)")
        }
    }

    @Test func onceALaterStepIsUsedAnEarlierOneIsRefused() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(120)
            #expect(try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret, steps: 1))]).status == .ok)
            #expect(try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))]).status == .forbidden)
            #expect(try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret, steps: -1))]).status == .forbidden)
        }
    }

    // MARK: throttling

    @Test func fiveWrongCodesLockTheUsernameEvenForTheRightCode() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(30)
            for _ in 0..<5 {
                let reply = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.wrongCode(account.secret))])
                #expect(reply.status == .forbidden)
            }
            let locked = try await api.post("/user/login", json: ["username": "Alice", "otp": .string(api.code(account.secret))])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] == "60")
            #expect(locked.detail != nil)

            api.clock.advance(59)
            let stillLocked = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))])
            #expect(stillLocked.status == .tooManyRequests)
            #expect(stillLocked.headers[.retryAfter] == "1")

            api.clock.advance(1)
            // The locked attempts did not spend the code: it works now.
            let reply = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))])
            #expect(reply.status == .ok, "\(reply)")
        }
    }

    @Test func aSecondLockoutInARowLastsTwiceAsLong() async throws {
        try await withApp(configure: { $0.loginLockout = 100 }) { api in
            let account = try await api.register("alice")
            func fail(times: Int) async throws {
                for _ in 0..<times {
                    #expect(try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.wrongCode(account.secret))]).status == .forbidden)
                }
            }
            func attempt() async throws -> Reply {
                try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))])
            }
            api.clock.advance(30)
            try await fail(times: 5)
            #expect(try await attempt().headers[.retryAfter] == "100")
            api.clock.advance(100)
            try await fail(times: 5)
            let second = try await attempt()
            #expect(second.status == .tooManyRequests)
            #expect(second.headers[.retryAfter] == "200")
            api.clock.advance(199)
            #expect(try await attempt().status == .tooManyRequests)
            api.clock.advance(1)
            #expect(try await attempt().status == .ok)
        }
    }

    @Test func failuresAreCountedPerClientAddressToo() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(30)
            // 30 failures from one address, spread over usernames that each stay under their own limit.
            for index in 0..<30 {
                let reply = try await api.post("/user/login", json: ["username": .string("guess\(index / 4)"), "otp": "000000"])
                #expect(reply.status == .forbidden)
            }
            let reply = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))])
            #expect(reply.status == .tooManyRequests)
            #expect(reply.headers[.retryAfter] == "60")
        }
    }
}
