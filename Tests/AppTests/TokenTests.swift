import Foundation
import Hummingbird
import Testing

/// Every row of docs/architecture.md's auth table, with its exact status and detail.
@Suite struct TokenTests {
    func expect(_ reply: Reply, _ status: HTTPResponse.Status, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.text == "{\"detail\":\"\(detail)\"}", sourceLocation: sourceLocation)
    }

    @Test func noAuthorizationHeader() async throws {
        try await withApp { api in
            expect(try await api.get("/user/decode"), .forbidden, "Not authenticated")
            expect(try await api.get("/funnel/"), .forbidden, "Not authenticated")
            expect(try await api.post("/spending/", json: ["amount": 1]), .forbidden, "Not authenticated")
        }
    }

    @Test(arguments: ["Basic x", "Token abc", "Bearer", "bearerabc", "Digest a b"])
    func notABearerScheme(_ header: String) async throws {
        try await withApp { api in
            let reply = try await api.send(.get, "/user/decode", headers: [.authorization: header])
            expect(reply, .forbidden, "Invalid authentication credentials")
        }
    }

    @Test func unreadableForgedOrOtherTypeTokensAreInvalid() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let parts = account.access.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            let header = try #require(base64URLDecode(parts[0]))
            #expect(header["alg"] as? String == "HS256")

            var payload = try #require(base64URLDecode(parts[1]))
            payload["username"] = "mallory"
            let tamperedPayload = [parts[0], base64URLEncode(payload), parts[2]].joined(separator: ".")
            var signature = Array(parts[2])
            signature[10] = signature[10] == "A" ? "B" : "A"
            let tamperedSignature = [parts[0], parts[1], String(signature)].joined(separator: ".")
            let unsigned = [base64URLEncode(["alg": "none", "typ": "JWT"]), parts[1], ""].joined(separator: ".")
            let otherKey = try await withApp { other in try await other.register("alice").access }

            for token in ["garbage", "a.b.c", "", tamperedPayload, tamperedSignature, unsigned, otherKey, account.tokens.refresh] {
                let reply = try await api.send(.get, "/user/decode", headers: [.authorization: "Bearer \(token)"])
                if token.isEmpty {
                    #expect(reply.status == .forbidden || reply.status == .badRequest)
                } else {
                    expect(reply, .badRequest, "Invalid token")
                }
            }
            // The scheme is case-insensitive and the genuine token works.
            #expect(try await api.send(.get, "/user/decode", headers: [.authorization: "bearer \(account.access)"]).status == .ok)
        }
    }

    @Test func anExpiredAccessToken() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(30 * 60 - 1)
            #expect(try await api.get("/user/decode", token: account.access).status == .ok)
            api.clock.advance(1)
            expect(try await api.get("/user/decode", token: account.access), .forbidden, "Authorization expired")
            api.clock.advance(60)
            expect(try await api.get("/funnel/", token: account.access), .forbidden, "Authorization expired")
        }
    }

    @Test func accessTTLIsConfigurable() async throws {
        try await withApp(configure: { $0.accessTTL = 60 }) { api in
            let account = try await api.register("alice")
            let decoded = try await api.get("/user/decode", token: account.access)
            let iat = try #require(decoded.object?["iat"] as? Int)
            #expect(decoded.object?["exp"] as? Int == iat + 60)
            api.clock.advance(61)
            expect(try await api.get("/user/decode", token: account.access), .forbidden, "Authorization expired")
        }
    }

    @Test func anAccessTokenOfARevokedSession() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            #expect(try await api.post("/user/logout", token: account.access).status == .noContent)
            expect(try await api.get("/user/decode", token: account.access), .forbidden, "Token is blacklisted")
            expect(try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]), .forbidden, "Refresh token is blacklisted")
        }
    }

    @Test func refreshRotatesThePair() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(10)
            let first = try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)])
            #expect(first.status == .ok, "\(first)")
            let pair: Tokens = try first.decode()
            #expect(pair.access != account.tokens.access && pair.refresh != account.tokens.refresh)
            #expect(try await api.get("/user/decode", token: pair.access).status == .ok)
            // Rotation keeps the device session: the older access token still works until it expires.
            #expect(try await api.get("/user/decode", token: account.access).status == .ok)
            let second = try await api.post("/user/refresh", json: ["refresh": .string(pair.refresh)])
            #expect(second.status == .ok)
            let devices = try await api.get("/user/devices", token: try second.decode(Tokens.self).access)
            #expect((try devices.decode([Device].self)).count == 1)
        }
    }

    @Test func aSpentRefreshTokenRevokesItsDeviceSession() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let otherDevice = try await api.login(account)
            let rotated: Tokens = try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]).decode()
            let newest: Tokens = try await api.post("/user/refresh", json: ["refresh": .string(rotated.refresh)]).decode()

            // The first refresh token again: reuse.
            expect(try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]), .forbidden, "Refresh token is blacklisted")
            // The whole device session is gone: its newest tokens too.
            expect(try await api.get("/user/decode", token: newest.access), .forbidden, "Token is blacklisted")
            expect(try await api.get("/user/decode", token: account.access), .forbidden, "Token is blacklisted")
            expect(try await api.post("/user/refresh", json: ["refresh": .string(newest.refresh)]), .forbidden, "Refresh token is blacklisted")
            // The user's other device is untouched.
            #expect(try await api.get("/user/decode", token: otherDevice.access).status == .ok)
            #expect(try await api.post("/user/refresh", json: ["refresh": .string(otherDevice.refresh)]).status == .ok)
        }
    }

    @Test func aRefreshTokenWorksOnceEvenUnderConcurrency() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count <= 1)
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .forbidden })
        }
    }

    @Test func anExpiredRefreshToken() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            api.clock.advance(7 * 24 * 3600 - 1)
            let refreshed: Tokens = try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]).decode()
            api.clock.advance(7 * 24 * 3600)
            expect(try await api.post("/user/refresh", json: ["refresh": .string(refreshed.refresh)]), .forbidden, "Refresh token is expired")
        }
    }

    @Test func anAccessTokenAsRefreshOrJunkIsInvalid() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            expect(try await api.post("/user/refresh", json: ["refresh": .string(account.access)]), .badRequest, "Invalid token")
            expect(try await api.post("/user/refresh", json: ["refresh": "junk"]), .badRequest, "Invalid token")
            // The failed attempts spent nothing.
            #expect(try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]).status == .ok)
        }
    }

    @Test(arguments: [#"{}"#, #"{"refresh": 5}"#, #"{"refresh": null}"#, "not json", #"["x"]"#, ""])
    func aMalformedRefreshBody(_ body: String) async throws {
        try await withApp { api in
            let reply = try await api.send(.post, "/user/refresh", body: body)
            #expect(reply.isValidationList, "\(reply)")
        }
    }

    @Test func decodeAnswersWholeSecondClaims() async throws {
        try await withApp(clock: TestClock(TestClock.defaultStart.addingTimeInterval(0.75))) { api in
            let account = try await api.register("alice")
            let reply = try await api.get("/user/decode", token: account.access)
            #expect(reply.status == .ok)
            let object = try #require(reply.object)
            #expect(Set(object.keys) == ["username", "exp", "iat", "type"])
            #expect(object["username"] as? String == "alice")
            #expect(object["type"] as? String == "access")
            #expect(!reply.text.contains("."), "whole seconds: \(reply.text)")
            let iat = try #require(object["iat"] as? Int)
            let exp = try #require(object["exp"] as? Int)
            #expect(Int64(iat) == api.clock.seconds)
            #expect(exp - iat == 1800)

            // The token's own payload carries what the old client reads, in whole seconds too.
            let payloadText = String(account.access.split(separator: ".")[1])
            let payload = try #require(base64URLDecode(payloadText))
            #expect(payload["username"] as? String == "alice")
            #expect(payload["type"] as? String == "access")
            #expect(payload["iat"] as? Int == iat)
            #expect(payload["exp"] as? Int == exp)
            let refresh = try #require(base64URLDecode(String(account.tokens.refresh.split(separator: ".")[1])))
            #expect(refresh["type"] as? String == "refresh")
            #expect(refresh["exp"] as? Int == iat + 7 * 24 * 3600)
        }
    }

    @Test func singleSessionPolicySignsOtherDevicesOut() async throws {
        try await withApp(configure: { $0.sessionPolicy = .single }) { api in
            let account = try await api.register("alice")
            let second = try await api.login(account)
            expect(try await api.get("/user/decode", token: account.access), .forbidden, "Token is blacklisted")
            expect(try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]), .forbidden, "Refresh token is blacklisted")
            #expect(try await api.get("/user/decode", token: second.access).status == .ok)
            let devices: [Device] = try await api.get("/user/devices", token: second.access).decode()
            #expect(devices.count == 1)
        }
    }

    @Test func multiSessionPolicyKeepsEveryDevice() async throws {
        try await withApp { api in
            #expect(api.settings.sessionPolicy == .multi)
            let account = try await api.register("alice")
            let second = try await api.login(account)
            #expect(try await api.get("/user/decode", token: account.access).status == .ok)
            #expect(try await api.get("/user/decode", token: second.access).status == .ok)
            #expect(try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]).status == .ok)
        }
    }
}

func base64URLDecode(_ text: String) -> [String: Any]? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let data = Data(base64Encoded: base64) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

func base64URLEncode(_ object: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
