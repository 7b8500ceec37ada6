import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TOTP
import Testing

/// The holes a review and a black-box attack found (issue 10, items 2 to 9), each pinned.
@Suite struct HardeningTests {
    // MARK: A member cannot hide others' spendings

    /// Alice owns the household; Bob, a member, creates a shared funnel in which Alice records.
    func sharedFunnelOfBobHoldingAlicesSpending(_ api: API) async throws -> (alice: Account, bob: Account, funnel: String, spending: String) {
        let alice = try await api.register("alice")
        let bob = try await api.register("bob", invite: try await api.invite(alice.access))
        let funnel = try await api.createFunnel(bob.access, name: "Outings", shared: true)
        let spending = try await api.createSpending(alice.access, funnel: funnel, amount: "12.50")
        return (alice, bob, funnel, spending)
    }

    @Test func aMemberCannotMakePersonalASharedFunnelHoldingOthersSpendings() async throws {
        try await withApp { api in
            let (alice, bob, funnel, spending) = try await sharedFunnelOfBobHoldingAlicesSpending(api)
            let reply = try await api.patch("/funnel/\(funnel)", token: bob.access, json: ["shared": false])
            #expect(reply.status == .forbidden)
            #expect((reply.object?["detail"] as? String)?.contains("only the household owner") == true)
            #expect(try await api.get("/spending/\(spending)", token: alice.access).status == .ok)
            // Other changes stay Bob's to make.
            #expect(try await api.patch("/funnel/\(funnel)", token: bob.access, json: ["name": "Nights out"]).status == .noContent)
            // The household owner may, and her spending then leaves her sight with the funnel.
            #expect(try await api.patch("/funnel/\(funnel)", token: alice.access, json: ["shared": false]).status == .noContent)
        }
    }

    @Test func aMemberCannotDeleteASharedFunnelHoldingOthersSpendings() async throws {
        try await withApp { api in
            let (alice, bob, funnel, spending) = try await sharedFunnelOfBobHoldingAlicesSpending(api)
            #expect(try await api.delete("/funnel/\(funnel)", token: bob.access).status == .forbidden)
            #expect(try await api.get("/spending/\(spending)", token: alice.access).status == .ok)
            #expect(try await api.delete("/funnel/\(funnel)", token: alice.access).status == .noContent)
            #expect(try await api.get("/spending/\(spending)", token: alice.access).status == .notFound)
        }
    }

    @Test func aMemberMayStillMakePersonalOrDeleteASharedFunnelHoldingOnlyTheirOwn() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let funnel = try await api.createFunnel(bob.access, name: "Mine", shared: true)
            _ = try await api.createSpending(bob.access, funnel: funnel, amount: "3")
            #expect(try await api.patch("/funnel/\(funnel)", token: bob.access, json: ["shared": false]).status == .noContent)
            #expect(try await api.delete("/funnel/\(funnel)", token: bob.access).status == .noContent)
        }
    }

    @Test func aSpendingNeverMovesOutOfItsAuthorsSight() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let shared = try await api.createFunnel(alice.access, name: "Food", shared: true)
            let alicesOwn = try await api.createFunnel(alice.access, name: "Alice only", shared: false)
            let spending = try await api.createSpending(bob.access, funnel: shared, amount: "4")
            let reply = try await api.patch("/spending/\(spending)", token: alice.access, json: ["funnel_id": .string(alicesOwn)])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.issues.first?.loc == ["body", "funnel_id"])
            #expect(try await api.spendings(bob.access).map(\.id) == [spending])
        }
    }

    // MARK: CORS on errors

    @Test func errorsToAnAllowedOriginCarryTheCORSHeaders() async throws {
        try await withApp(configure: { $0.corsOrigins = ["https://budget.example.org"] }) { api in
            let origin: HTTPFields = [.origin: "https://budget.example.org"]
            for reply in [
                try await api.send(.get, "/funnel/", headers: origin),  // 403: no token
                try await api.send(.get, "/nowhere", headers: origin),  // 404
                try await api.send(.post, "/user/login", body: "{", headers: origin),  // 422
            ] {
                #expect(reply.status.code >= 400)
                #expect(reply.headers[.accessControlAllowOrigin] == "https://budget.example.org", "\(reply.status)")
            }
            let stranger = try await api.send(.get, "/funnel/", headers: [.origin: "https://evil.example"])
            #expect(stranger.headers[.accessControlAllowOrigin] == nil)
        }
    }

    // MARK: Tokens

    static let secret = String(repeating: "k", count: 40)

    func signed(header: [String: Any], payload: [String: Any]) -> String {
        let signingInput = base64URLEncode(header) + "." + base64URLEncode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(Self.secret.utf8)))
        let signature = Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return signingInput + "." + signature
    }

    @Test func aHeaderNamingAnotherAlgorithmIsRefusedEvenWithAValidSignature() async throws {
        try await withApp(configure: { $0.jwtSecret = Self.secret }) { api in
            let account = try await api.register("alice")
            let payload = try #require(base64URLDecode(String(account.access.split(separator: ".")[1])))
            // Re-signed with the server's own key: only the header differs.
            #expect(try await api.get("/user/decode", token: signed(header: ["alg": "HS256", "typ": "JWT"], payload: payload)).status == .ok)
            for header: [String: Any] in [["alg": "none", "typ": "JWT"], ["alg": "HS384", "typ": "JWT"], ["alg": "RS256"], ["typ": "JWT"],
                ["alg": "HS256", "typ": "JWS"], ["alg": "HS256", "crit": ["exp"]]]
            {
                let reply = try await api.get("/user/decode", token: signed(header: header, payload: payload))
                #expect(reply.status == .badRequest, "\(header)")
            }
        }
    }

    @Test func aTokenMustNameALiveSessionOfItsOwnUser() async throws {
        try await withApp(configure: { $0.jwtSecret = Self.secret }) { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            var payload = try #require(base64URLDecode(String(alice.access.split(separator: ".")[1])))
            let bobs = try #require(base64URLDecode(String(bob.access.split(separator: ".")[1])))
            let header: [String: Any] = ["alg": "HS256", "typ": "JWT"]
            payload["sid"] = UUID().uuidString.lowercased()  // no such session
            #expect(try await api.get("/user/decode", token: signed(header: header, payload: payload)).status == .forbidden)
            payload["sid"] = bobs["sid"]  // Bob's session, Alice's subject
            #expect(try await api.get("/user/decode", token: signed(header: header, payload: payload)).status == .forbidden)
        }
    }

    @Test func aSignOutByAnotherProcessTakesEffectOnTheNextRequest() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            #expect(try await api.get("/funnel/", token: alice.access).status == .ok)
            // What `stracker user sign-out alice` does, through its own connections to the file.
            let user = try #require(try await api.stores.accounts.user(username: "alice"))
            try await api.stores.sessions.revokeAll(userId: user.id, keeping: nil, notBefore: api.clock.seconds + 1, now: api.clock.millis)
            #expect(try await api.get("/funnel/", token: alice.access).status == .forbidden)
            #expect(try await api.post("/user/refresh", json: ["refresh": .string(alice.tokens.refresh)]).status == .forbidden)
        }
    }

    // MARK: Throttling and registration

    @Test func signUpsAreThrottledPerAddress() async throws {
        try await withApp(configure: { $0.signupLimit = 3 }) { api in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<5 {
                statuses.append(try await api.post("/user/generate-otp-secret", json: ["username": .string("user\(index)")]).status)
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
            let refused = try await api.post("/user/generate-otp-secret", json: ["username": "late"])
            #expect(refused.headers[.retryAfter] != nil)
        }
    }

    @Test func wrongInviteCodesAreThrottledPerAddress() async throws {
        try await withApp(configure: { $0.signupLimit = 1000 }) { api in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<12 {
                let generated = try await api.post("/user/generate-otp-secret", json: ["username": .string("guess\(index)")])
                let base32 = try #require(generated.object?["secret"] as? String)
                let code = api.code(try #require(Base32.decode(base32)))
                let body: JSON = [
                    "username": .string("guess\(index)"), "otp_secret": .string(base32), "otp_example": .string(code), "invite": "WRONG-CODE",
                ]
                statuses.append(try await api.post("/user/", json: body).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .badRequest })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
        }
    }

    @Test func registrationCanNeedAnInviteOrBeClosed() async throws {
        let owner = try await withApp(configure: { $0.registration = .invite }) { api in
            // Refused at the first step already, before a secret goes into an authenticator…
            let reply = try await api.post("/user/generate-otp-secret", json: ["username": "stranger"])
            #expect(reply.status == .forbidden && reply.object?["secret"] == nil)
            #expect(reply.text == #"{"detail":"Registration on this server needs an invite code"}"#)
            // …and at the second, for a client that made its own secret.
            let base32 = Base32.encode(OTPSecret.generate())
            let body: JSON = ["username": "stranger", "otp_secret": .string(base32), "otp_example": .string(api.code(try #require(Base32.decode(base32))))]
            let refused = try await api.post("/user/", json: body)
            #expect(refused.status == .forbidden)
            #expect(refused.text == #"{"detail":"Registration on this server needs an invite code"}"#)
            return refused.status
        }
        #expect(owner == .forbidden)
        try await withApp(configure: { $0.registration = .closed }) { api in
            let reply = try await api.post("/user/generate-otp-secret", json: ["username": "stranger"])
            #expect(reply.status == .forbidden)
            #expect(reply.text == #"{"detail":"Registration is closed on this server"}"#)
        }
    }

    // MARK: HTTP

    @Test func answersCarryingTokensOrSecretsAreNeverCached() async throws {
        try await withApp { api in
            let generated = try await api.post("/user/generate-otp-secret", json: ["username": "alice"])
            #expect(generated.headers[.cacheControl] == "no-store")
            let alice = try await api.register("alice")
            let refreshed = try await api.post("/user/refresh", json: ["refresh": .string(alice.tokens.refresh)])
            #expect(refreshed.status == .ok && refreshed.headers[.cacheControl] == "no-store")
            #expect(try await api.get("/overview", token: alice.access).headers[.cacheControl] == "no-store")
        }
    }

    @Test func headIsAnsweredWhereverGetIs() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            for path in ["/ping", "/funnel/", "/overview", "/household"] {
                let get = try await api.get(path, token: alice.access)
                let head = try await api.send(.head, path, token: alice.access)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.isEmpty, "\(path)")
            }
        }
    }

    @Test func aSecondHostHeaderIsRefused() async throws {
        try await withApp { api in
            let reply = try await api.send(.get, "/ping", headers: [HTTPField.Name("Host")!: "evil.example"])
            #expect(reply.status == .badRequest)
        }
    }

    // MARK: Recent

    @Test func aSpendingDatedInTheFarFutureDoesNotPinTheRecentList() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let funnel = try await api.funnels(alice.access)[0].id
            let future = try await api.createSpending(alice.access, funnel: funnel, amount: "1", timestamp: 253_402_300_000_000)  // 9999-12-31
            let now = try await api.createSpending(alice.access, funnel: funnel, amount: "2")
            let recent = try await api.overview(alice.access).recent.map(\.id)
            #expect(recent.contains(now) && !recent.contains(future))
            // Still listed where a date range asks for it.
            #expect(try await api.spendings(alice.access, query: "timestamp_from=0&timestamp_to=253402300000001").map(\.id).contains(future))
        }
    }
}
