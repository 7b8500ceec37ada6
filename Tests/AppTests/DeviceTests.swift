import Foundation
import Hummingbird
import Testing

@Suite struct DeviceTests {
    @Test func devicesAreListedWithTheCurrentOneMarked() async throws {
        try await withApp { api in
            let account = try await api.register("alice", deviceName: "Phone")
            let laptop = try await api.login(account, deviceName: "Laptop")
            api.clock.advance(30)
            let browser: Tokens = try await api.send(
                .post, "/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret))],
                headers: [.userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"]
            ).decode()

            let devices: [Device] = try await api.get("/user/devices/", token: laptop.access).decode()
            #expect(devices.count == 3)
            #expect(Set(devices.map(\.name)).isSuperset(of: ["Phone", "Laptop"]))
            #expect(devices.filter(\.current).map(\.name) == ["Laptop"])
            #expect(Set(devices.map(\.id)).count == 3)
            let fromBrowser: [Device] = try await api.get("/user/devices", token: browser.access).decode()
            let current = try #require(fromBrowser.first { $0.current })
            #expect(!["Phone", "Laptop"].contains(current.name))
            #expect(!current.name.isEmpty)
        }
    }

    @Test func aDeviceCanBeRenamed() async throws {
        try await withApp { api in
            let account = try await api.register("alice", deviceName: "Chrome on Android")
            let second = try await api.login(account, deviceName: "Chrome on Android")
            let devices: [Device] = try await api.get("/user/devices", token: account.access).decode()
            let other = try #require(devices.first { !$0.current })
            let renamed: Device = try await api.patch("/user/devices/\(other.id)", token: account.access, json: ["name": "  Jonas's phone "]).decode()
            #expect(renamed.name == "Jonas's phone" && renamed.id == other.id && !renamed.current)
            let after: [Device] = try await api.get("/user/devices", token: second.access).decode()
            #expect(after.first { $0.current }?.name == "Jonas's phone")
            // A name as any other: 1 to 64 characters, no control characters.
            for bad: JSON in ["", "   ", .string(String(repeating: "x", count: 65)), "a\u{7}b", 5] {
                let reply = try await api.patch("/user/devices/\(other.id)", token: account.access, json: ["name": bad])
                #expect(reply.status == .unprocessableContent, "\(bad)")
            }
            let kept: [Device] = try await api.get("/user/devices", token: second.access).decode()
            #expect(kept.first { $0.current }?.name == "Jonas's phone")
        }
    }

    @Test func anotherUsersOrASignedOutDeviceCannotBeRenamed() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let bobsDevice = try #require((try await api.get("/user/devices", token: bob.access).decode() as [Device]).first)
            #expect(try await api.patch("/user/devices/\(bobsDevice.id)", token: alice.access, json: ["name": "mine"]).status == .notFound)
            let second = try await api.login(alice)
            let first = try #require((try await api.get("/user/devices", token: second.access).decode() as [Device]).first { !$0.current })
            #expect(try await api.delete("/user/devices/\(first.id)", token: second.access).status == .noContent)
            #expect(try await api.patch("/user/devices/\(first.id)", token: second.access, json: ["name": "gone"]).status == .notFound)
            #expect((try await api.get("/user/devices", token: bob.access).decode() as [Device]).first?.name == bobsDevice.name)
        }
    }

    /// "Last active" is the session's last request (to the minute), not its last token refresh.
    @Test func lastActiveFollowsEveryRequest() async throws {
        try await withApp { api in
            let account = try await api.register("alice", deviceName: "Phone")
            let laptop = try await api.login(account, deviceName: "Laptop")
            let start = api.clock.millis
            func lastSeen(_ name: String) async throws -> Int64 {
                let devices: [Device] = try await api.get("/user/devices", token: laptop.access).decode()
                return try #require(devices.first { $0.name == name }).lastSeenAt
            }
            api.clock.advance(5 * 60)
            #expect(try await api.get("/overview", token: account.access).status == .ok)
            #expect(try await lastSeen("Phone") == start + 5 * 60_000)
            // Within the minute, no new write; a minute on, the new time.
            api.clock.advance(30)
            _ = try await api.get("/funnel/", token: account.access)
            #expect(try await lastSeen("Phone") == start + 5 * 60_000)
            api.clock.advance(31)
            _ = try await api.get("/funnel/", token: account.access)
            #expect(try await lastSeen("Phone") == start + 5 * 60_000 + 61_000)
            // The list is ordered by it: the phone, used last, comes first.
            let devices: [Device] = try await api.get("/user/devices", token: account.access).decode()
            #expect(devices.map(\.name) == ["Phone", "Laptop"])
            // A refused token is not activity.
            api.clock.advance(120)
            _ = try await api.delete("/user/devices/\(try #require(devices.first { $0.name == "Phone" }).id)", token: laptop.access)
            #expect(try await api.get("/overview", token: account.access).status == .forbidden)
        }
    }

    @Test func signingOneDeviceOut() async throws {
        try await withApp { api in
            let account = try await api.register("alice", deviceName: "Phone")
            let laptop = try await api.login(account, deviceName: "Laptop")
            let devices: [Device] = try await api.get("/user/devices", token: laptop.access).decode()
            let phone = try #require(devices.first { $0.name == "Phone" })

            #expect(try await api.delete("/user/devices/\(phone.id)", token: laptop.access).status == .noContent)
            let refused = try await api.get("/user/decode", token: account.access)
            #expect(refused.status == .forbidden)
            #expect(refused.detail == "Token is blacklisted")
            #expect(try await api.post("/user/refresh", json: ["refresh": .string(account.tokens.refresh)]).detail == "Refresh token is blacklisted")
            let left: [Device] = try await api.get("/user/devices", token: laptop.access).decode()
            #expect(left.map(\.name) == ["Laptop"])
            // Twice, or an id that was never a device: 404.
            #expect(try await api.delete("/user/devices/\(phone.id)", token: laptop.access).status == .notFound)
            #expect(try await api.delete("/user/devices/\(UUID().uuidString)", token: laptop.access).status == .notFound)
            #expect(try await api.delete("/user/devices/not-an-id", token: laptop.access).status == .notFound)
        }
    }

    @Test func anotherUsersDeviceIsNotFound() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let bobsDevices: [Device] = try await api.get("/user/devices", token: bob.access).decode()
            let bobsDevice = try #require(bobsDevices.first)
            let reply = try await api.delete("/user/devices/\(bobsDevice.id)", token: alice.access)
            #expect(reply.status == .notFound)
            #expect(reply.detail != nil)
            #expect(try await api.get("/user/decode", token: bob.access).status == .ok)
        }
    }

    @Test func signingOutEverywhere() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let second = try await api.login(account)
            let third = try await api.login(account)
            #expect(try await api.delete("/user/devices", token: second.access).status == .noContent)
            for tokens in [account.tokens, second, third] {
                #expect(try await api.get("/user/decode", token: tokens.access).detail == "Token is blacklisted")
                #expect(try await api.post("/user/refresh", json: ["refresh": .string(tokens.refresh)]).detail == "Refresh token is blacklisted")
            }
            // Signing in again works.
            let fresh = try await api.login(account)
            #expect(try await api.get("/user/decode", token: fresh.access).status == .ok)
            let devices: [Device] = try await api.get("/user/devices", token: fresh.access).decode()
            #expect(devices.count == 1)
        }
    }

    @Test func signingInWithinTheSecondAfterSigningOutEverywhereWorks() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            #expect(try await api.delete("/user/devices", token: account.access).status == .noContent)
            // Same clock second, the next step's code (accepted within the ±1 window).
            let reply = try await api.post("/user/login", json: ["username": "alice", "otp": .string(api.code(account.secret, steps: 1))])
            #expect(reply.status == .ok)
            let tokens: Tokens = try reply.decode()
            #expect(try await api.get("/user/decode", token: tokens.access).status == .ok)
            #expect(try await api.get("/user/decode", token: account.access).status == .forbidden)
        }
    }

    @Test func logoutSignsOutTheCurrentDeviceOnly() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let second = try await api.login(account)
            #expect(try await api.post("/user/logout", token: account.access).status == .noContent)
            #expect(try await api.get("/user/decode", token: account.access).detail == "Token is blacklisted")
            #expect(try await api.get("/user/decode", token: second.access).status == .ok)
            let devices: [Device] = try await api.get("/user/devices", token: second.access).decode()
            #expect(devices.count == 1)
            #expect(devices.first?.current == true)
        }
    }
}
