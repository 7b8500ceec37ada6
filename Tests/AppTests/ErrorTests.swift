import Foundation
import Hummingbird
import Testing

@Suite struct ErrorTests {
    @Test(arguments: ["/nope", "/user/nope", "/funnel/a/b", "/api/funnel", "/spending/x/y/z"])
    func anUnknownRouteIsNotFound(_ path: String) async throws {
        try await withApp { api in
            for method in [HTTPRequest.Method.get, .post, .delete] {
                let reply = try await api.send(method, path)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply)")
                #expect(reply.text == #"{"detail":"Not Found"}"#)
                #expect(reply.headers[.contentType] == "application/json")
            }
        }
    }

    static let wrongMethods: [(HTTPRequest.Method, String, Set<String>)] = [
        (.get, "/user/login", ["POST"]),
        (.delete, "/user/", ["POST"]),
        (.put, "/user/refresh", ["POST"]),
        (.post, "/user/decode", ["GET"]),
        (.delete, "/funnel/", ["GET", "POST"]),
        (.post, "/funnel/9b2e4c0e-4d51-4bd3-9c1b-3f7c5ad5f0e1", ["GET", "PUT", "PATCH", "DELETE"]),
        (.patch, "/spending", ["GET", "POST"]),
        (.put, "/household", ["GET", "PATCH"]),
        (.get, "/household/invite", ["POST"]),
        (.post, "/ping", ["GET"]),
        (.get, "/user/devices/abc", ["DELETE", "PATCH"]),
        (.post, "/overview/", ["GET"]),
    ]

    @Test(arguments: wrongMethods)
    func aWrongMethodIsNotAllowed(method: HTTPRequest.Method, path: String, allowed: Set<String>) async throws {
        try await withApp { api in
            let reply = try await api.send(method, path)
            #expect(reply.status == .methodNotAllowed, "\(reply)")
            #expect(reply.text == #"{"detail":"Method Not Allowed"}"#)
            let allow = try #require(reply.headers[.allow])
            #expect(Set(allow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) == allowed)
        }
    }

    @Test func pingAndHealth() async throws {
        try await withApp { api in
            let ping = try await api.get("/ping")
            #expect(ping.status == .ok)
            #expect(ping.text == #""pong""#)
            let health = try await api.get("/healthz/")
            #expect(health.status == .ok)
            #expect(health.text == #"{"status":"ok"}"#)
        }
    }

    /// Every route, called with and without a trailing slash, answers the same.
    @Test(arguments: [false, true])
    func everyRouteWorksWithAndWithoutATrailingSlash(slash: Bool) async throws {
        try await withApp { api in
            func p(_ path: String) -> String {
                guard slash else { return path }
                let parts = path.split(separator: "?", maxSplits: 1)
                return String(parts[0]) + "/" + (parts.count > 1 ? "?" + parts[1] : "")
            }
            func check(_ reply: Reply, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
            }
            check(try await api.get(p("/ping")), .ok)
            check(try await api.get(p("/healthz")), .ok)
            let generated = try await api.post(p("/user/generate-otp-secret"), json: ["username": "alice"])
            check(generated, .ok)
            let base32 = try #require(generated.object?["secret"] as? String)
            let secret = try #require(TOTPHelper.decode(base32))
            let registered = try await api.post(
                p("/user"), json: ["username": "alice", "otp_secret": .string(base32), "otp_example": .string(api.code(secret))])
            check(registered, .ok)
            let first: Tokens = try registered.decode()
            api.clock.advance(30)
            let login = try await api.post(p("/user/login"), json: ["username": "alice", "otp": .string(api.code(secret))])
            check(login, .ok)
            let second: Tokens = try login.decode()
            let refreshed = try await api.post(p("/user/refresh"), json: ["refresh": .string(second.refresh)])
            check(refreshed, .ok)
            let token: String = try refreshed.decode(Tokens.self).access
            check(try await api.get(p("/user/decode"), token: token), .ok)
            let devices = try await api.get(p("/user/devices"), token: token)
            check(devices, .ok)

            check(try await api.get(p("/funnel"), token: token), .ok)
            let created = try await api.post(p("/funnel"), token: token, json: ["name": "X", "limit": 5, "color": "red", "emoji": "🎈"])
            check(created, .created)
            let funnel = try created.decode(String.self)
            check(try await api.get(p("/funnel/\(funnel)"), token: token), .ok)
            check(try await api.put(p("/funnel/\(funnel)"), token: token, json: ["limit": 6]), .noContent)
            check(try await api.patch(p("/funnel/\(funnel)"), token: token, json: ["limit": 7]), .noContent)
            check(try await api.put(p("/funnel/order"), token: token, json: ["ids": [.string(funnel)]]), .noContent)

            let spent = try await api.post(p("/spending"), token: token, json: ["amount": 1, "funnel_id": .string(funnel)])
            check(spent, .created)
            let spending = try spent.decode(String.self)
            check(try await api.get(p("/spending"), token: token), .ok)
            check(try await api.get(p("/spending?limit=5&timestamp_from=0"), token: token), .ok)
            check(try await api.get(p("/spending/\(spending)"), token: token), .ok)
            check(try await api.put(p("/spending/\(spending)"), token: token, json: ["amount": 2]), .noContent)
            check(try await api.patch(p("/spending/\(spending)"), token: token, json: ["note": "n"]), .noContent)
            check(try await api.delete(p("/spending/\(spending)"), token: token), .noContent)
            check(try await api.delete(p("/funnel/\(funnel)"), token: token), .noContent)
            check(try await api.get(p("/overview"), token: token), .ok)
            check(try await api.get(p("/history?periods=2"), token: token), .ok)

            check(try await api.get(p("/household"), token: token), .ok)
            check(try await api.patch(p("/household"), token: token, json: ["name": "Home"]), .ok)
            let invite = try await api.post(p("/household/invite"), token: token)
            check(invite, .created)
            _ = try await api.register("bob", invite: try #require(invite.object?["code"] as? String))
            check(try await api.delete(p("/household/members/bob"), token: token), .noContent)
            let carol = try await api.register("carol", invite: try await api.invite(token))
            check(try await api.post(p("/household/leave"), token: carol.access), .noContent)

            let firstDevice = try #require(try devices.decode([Device].self).first { !$0.current })
            check(try await api.delete(p("/user/devices/\(firstDevice.id)"), token: token), .noContent)
            #expect(try await api.get("/user/decode", token: first.access).status == .forbidden)
            check(try await api.post(p("/user/logout"), token: token), .noContent)
            check(try await api.delete(p("/user/devices"), token: carol.access), .noContent)
        }
    }

    @Test func aBodyOver64KiBIsRefusedWith413() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            func body(size: Int) -> String {
                let head = #"{"username":"alice","otp":"000000","device_name":""#
                let tail = #""}"#
                return head + String(repeating: "x", count: size - head.utf8.count - tail.utf8.count) + tail
            }
            let fits = try await api.send(.post, "/user/login", body: body(size: 64 * 1024))
            #expect(fits.status == .forbidden, "\(fits)")
            let tooLarge = try await api.send(.post, "/user/login", body: body(size: 64 * 1024 + 1))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.detail != nil)
            #expect(tooLarge.headers[.contentType] == "application/json")
            let huge = try await api.send(.post, "/funnel/", token: account.access, body: String(repeating: " ", count: 1_000_000))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.detail != nil)
        }
    }

    @Test func malformedJSONWrongTypesAndMissingFieldsAre422Lists() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let malformed = try await api.send(.post, "/user/login", body: #"{"username": "alice", "otp": }"#)
            #expect(malformed.isValidationList, "\(malformed)")
            #expect(malformed.issues.first?.loc == ["body"])

            let wrongType = try await api.post("/user/login", json: ["username": 5, "otp": "123456"])
            #expect(wrongType.isValidationList)
            #expect(wrongType.issues.first?.loc == ["body", "username"])

            let missing = try await api.post("/user/login", json: ["username": "alice"])
            #expect(missing.isValidationList)
            #expect(missing.issues.first?.loc == ["body", "otp"])
            #expect(missing.issues.first?.type == "missing")

            let funnelMissing = try await api.post("/funnel/", token: account.access, json: ["name": "x", "color": "red", "emoji": "🎈"])
            #expect(funnelMissing.isValidationList)
            #expect(funnelMissing.issues.first?.loc == ["body", "limit"])

            let wrongLimit = try await api.post("/funnel/", token: account.access, json: ["name": "x", "limit": "12", "color": "red", "emoji": "🎈"])
            #expect(wrongLimit.isValidationList)
            #expect(wrongLimit.issues.first?.loc == ["body", "limit"])

            let nested = try await api.put("/funnel/order", token: account.access, json: ["ids": ["x", 5]])
            #expect(nested.isValidationList)
            #expect(nested.issues.first?.loc.prefix(2) == ["body", "ids"])
        }
    }

    @Test func badQueryParametersAre422() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            for (query, name) in [
                ("timestamp_from=abc", "timestamp_from"), ("timestamp_to=1.5", "timestamp_to"), ("limit=0", "limit"),
                ("limit=100000000", "limit"), ("before=-5", "before"), ("funnel_id=no.pe", "funnel_id"),
                ("timestamp_from=99999999999999999999", "timestamp_from"),
            ] {
                let reply = try await api.get("/spending/?\(query)", token: account.access)
                #expect(reply.isValidationList, "\(query): \(reply)")
                #expect(reply.issues.first?.loc == ["query", name], "\(query)")
            }
            #expect(try await api.get("/history?periods=0", token: account.access).isValidationList)
            #expect(try await api.get("/history?periods=x", token: account.access).isValidationList)
            let unknownFunnel = try await api.get("/spending/?funnel_id=\(UUID().uuidString)", token: account.access)
            #expect(unknownFunnel.status == .notFound)
            #expect(unknownFunnel.detail == "Funnel does not exist")
        }
    }

    // MARK: Fuzz

    /// Whole bodies that no route accepts.
    static let junkBodies: [String] = [
        "", " ", "null", "true", "0", "-1", "1e400", "\"text\"", "[]", "[1,2]", "[{}]", "{", "}", "{\"a\":", "{'a': 1}",
        "NaN", "Infinity", "-Infinity", "{\"x\": NaN}", "{}}", "{\"name\": \"a\"", "\u{FEFF}[]", "[\"😀\"]",
        String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000),
        String(repeating: "{\"a\":", count: 8_000) + "1" + String(repeating: "}", count: 8_000),
        "{\"a\":" + String(repeating: "9", count: 20_000) + "1e",
    ]

    /// Values that fit no field of any route.
    static let invalidValues: [JSON] = [
        [:], .raw("1e400"), .raw("-1e400"), [[[1]]], ["$gt": ""], .raw("9e99999"), [nil, true],
    ]

    /// Values that some fields accept and others refuse: never a 5xx.
    static let oddValues: [JSON] = [
        nil, [], .raw("1e-400"), true, false, "", " ", "NaN", "Infinity", "-0", "1e3", "😀", "👨‍👩‍👧‍👦", "\u{0}", "\u{202E}abc", "a\u{300}",
        .string(String(repeating: "é", count: 5_000)), .raw("-0"), .raw("0"), .raw("-1"), .raw("1e-7"), .raw("1e308"),
        .raw("-1e308"), .raw("123456789012345678901234567890"), .raw("-9223372036854775809"), .raw("9223372036854775807"),
        .raw("0.000000000000000000000000000001"), .raw("253402300800000"), .raw("1.5"), .raw("10000000000000"),
        "00000000-0000-0000-0000-000000000000", "#fff", "rgb(1,2,3)", "Europe/Berlin", "UTC", "JPY", "🇩🇪",
    ]

    @Test func noBodyOfAnyShapeGetsA5xx() async throws {
        try await withApp { api in
            let owner = try await api.register("alice")
            let member = try await api.register("bob", invite: try await api.invite(owner.access))
            let funnel = try await api.createFunnel(owner.access, shared: true)
            let spending = try await api.createSpending(owner.access, funnel: funnel, amount: "5")
            let memberSpending = try await api.createSpending(member.access, funnel: funnel, amount: "6")
            let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

            let routes: [(HTTPRequest.Method, String, String?, JSON)] = [
                (.post, "/user/generate-otp-secret", nil, ["username": "fuzz"]),
                (.post, "/user/", nil, ["username": "fuzz", "otp_secret": .string(secret), "otp_example": "000000", "invite": nil]),
                (.post, "/user/login", nil, ["username": "fuzz", "otp": "000000", "device_name": "d"]),
                (.post, "/user/refresh", nil, ["refresh": "x"]),
                (.post, "/funnel/", owner.access, ["name": "F", "limit": 10, "color": "#abc", "emoji": "🎈", "shared": false, "position": 1]),
                (.put, "/funnel/\(funnel)", owner.access, ["name": "F", "limit": 10, "color": "#abc", "emoji": "🎈", "shared": true, "position": 0]),
                (.patch, "/funnel/\(funnel)", owner.access, ["limit": 10]),
                (.put, "/funnel/order", owner.access, ["ids": [.string(funnel)]]),
                (.post, "/spending/", member.access, ["amount": 1, "funnel_id": .string(funnel), "timestamp": 1_000, "note": "", "id": nil]),
                (.put, "/spending/\(spending)", owner.access, ["amount": 1, "funnel_id": .string(funnel), "timestamp": 1_000, "note": ""]),
                (.patch, "/spending/\(memberSpending)", member.access, ["amount": 2]),
                (.patch, "/household", owner.access, ["name": "H", "period_start_day": 1, "time_zone": "UTC", "currency": "EUR"]),
            ]
            let extraFields = ["id", "note", "shared", "position", "invite", "device_name", "timestamp", "username"]
            var requests = 0
            for (method, path, token, base) in routes {
                // Valid JSON, an unknown field: ignored where every field is optional.
                let unknownField = try await api.send(method, path, token: token, body: "{\"a\":" + String(repeating: "9", count: 20_000) + "}")
                #expect(unknownField.status.code < 500)
                for junk in Self.junkBodies {
                    let reply = try await api.send(method, path, token: token, body: junk)
                    requests += 1
                    #expect((400..<500).contains(reply.status.code), "\(method) \(path) \(junk.prefix(40)): \(reply)")
                    #expect(reply.object?["detail"] != nil, "\(method) \(path) \(junk.prefix(40)): \(reply)")
                }
                let invalidUTF8 = try await api.send(method, path, token: token, bytes: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])
                #expect((400..<500).contains(invalidUTF8.status.code), "\(path): \(invalidUTF8)")
                guard case .object(let members) = base else { continue }
                let fields = members.map(\.0) + extraFields.filter { field in !members.contains { $0.0 == field } }
                for field in fields {
                    for value in Self.invalidValues {
                        let reply = try await api.send(method, path, token: token, json: base.with(field, value))
                        requests += 1
                        // An unknown field is ignored; a known one with such a value is refused.
                        let known = members.contains { $0.0 == field }
                        if known {
                            #expect((400..<500).contains(reply.status.code), "\(method) \(path) \(field)=\(value.text.prefix(40)): \(reply)")
                        }
                        #expect(reply.status.code < 500, "\(method) \(path) \(field)=\(value.text.prefix(40)): \(reply)")
                        if reply.status.code >= 400 {
                            #expect(reply.object?["detail"] != nil, "\(reply)")
                        }
                    }
                    for value in Self.oddValues {
                        let reply = try await api.send(method, path, token: token, json: base.with(field, value))
                        requests += 1
                        #expect(reply.status.code < 500, "\(method) \(path) \(field)=\(value.text.prefix(40)): \(reply)")
                        if reply.status.code >= 400 {
                            #expect(reply.object?["detail"] != nil, "\(method) \(path) \(field)=\(value.text.prefix(40)): \(reply)")
                        }
                    }
                }
            }
            #expect(requests > 3_000)
            // The service still answers normally afterwards.
            #expect(try await api.get("/overview", token: member.access).status == .ok)
            let stored: [Funnel] = try await api.get("/funnel", token: owner.access).decode()
            #expect(stored.allSatisfy { $0.color.count == 7 && $0.color.allSatisfy { $0 == "#" || $0.isHexDigit && $0.isASCII } }, "\(stored.map(\.color))")
        }
    }

    @Test func unauthenticatedBodiesAreNeverRead() async throws {
        try await withApp { api in
            let reply = try await api.send(.post, "/funnel/", body: "not json")
            #expect(reply.status == .forbidden)
            #expect(reply.detail == "Not authenticated")
        }
    }
}

import TOTP

enum TOTPHelper {
    static func decode(_ base32: String) -> [UInt8]? { Base32.decode(base32) }
}
