import Foundation
import HTTPTypes
import Testing

@testable import App

/// PUT/GET/DELETE /spending/{id}/receipt through the whole router, with the files on disk.
@Suite struct ReceiptRouteTests {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array("a small picture".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("another".utf8)

    func files(_ api: API) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: api.settings.receiptsPath).filter { !$0.hasPrefix(".") }.sorted()
    }

    func put(_ api: API, _ spending: String, _ bytes: [UInt8], token: String) async throws -> Reply {
        try await api.send(.put, "/spending/\(spending)/receipt", token: token, bytes: bytes)
    }

    @Test func attachShowReplaceAndRemove() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let funnel = try await api.createFunnel(alice.access)
            let spending = try await api.createSpending(alice.access, funnel: funnel, amount: "4.20")
            #expect(try await api.get("/spending/\(spending)/receipt", token: alice.access).status == .notFound)
            #expect(try await api.get("/spending/\(spending)", token: alice.access).object?["has_receipt"] as? Bool == false)

            let stored = try await put(api, spending, Self.jpeg, token: alice.access)
            #expect(stored.status == .ok, "\(stored)")
            let hash = try #require(stored.object?["hash"] as? String)
            #expect(stored.object?["content_type"] as? String == "image/jpeg")
            #expect(try files(api) == [hash])

            let shown = try await api.get("/spending/\(spending)/receipt", token: alice.access)
            #expect(shown.status == .ok)
            #expect(Array(shown.body) == Self.jpeg)
            #expect(shown.headers[.contentType] == "image/jpeg")
            #expect(shown.headers[.eTag] == "\"\(hash)\"")
            let again = try await api.send(.get, "/spending/\(spending)/receipt", token: alice.access, headers: [.ifNoneMatch: "\"\(hash)\""])
            #expect(again.status == .notModified)
            #expect(try await api.get("/spending/\(spending)", token: alice.access).object?["has_receipt"] as? Bool == true)
            let listed = try await api.get("/spending/?timestamp_from=0", token: alice.access)
            #expect((try listed.json() as? [[String: Any]])?.first?["has_receipt"] as? Bool == true)
            let recent = try await api.get("/overview", token: alice.access).object?["recent"] as? [[String: Any]]
            #expect(recent?.first?["has_receipt"] as? Bool == true)

            // A new picture replaces it; the old file goes.
            let replaced = try await put(api, spending, Self.png, token: alice.access)
            #expect(replaced.object?["content_type"] as? String == "image/png")
            #expect(try files(api) == [try #require(replaced.object?["hash"] as? String)])
            #expect(Array(try await api.get("/spending/\(spending)/receipt", token: alice.access).body) == Self.png)

            #expect(try await api.delete("/spending/\(spending)/receipt", token: alice.access).status == .noContent)
            #expect(try await api.delete("/spending/\(spending)/receipt", token: alice.access).status == .notFound)
            #expect(try files(api).isEmpty)
        }
    }

    @Test func refusedPicturesLeaveWhatWasStored() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let spending = try await api.createSpending(alice.access, funnel: try await api.createFunnel(alice.access), amount: "1")
            _ = try await put(api, spending, Self.jpeg, token: alice.access)
            let before = try files(api)
            for bytes in [[], Array("GIF89a....".utf8), Array("<svg/>".utf8)] as [[UInt8]] {
                let reply = try await put(api, spending, bytes, token: alice.access)
                #expect(reply.status == .unprocessableContent, "\(reply)")
                #expect(reply.isValidationList)
            }
            let huge = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: ReceiptController.maxBytes)
            #expect(try await put(api, spending, huge, token: alice.access).status == .contentTooLarge)
            #expect(try await put(api, "00000000-0000-4000-8000-000000000000", Self.png, token: alice.access).status == .notFound)
            #expect(try await api.send(.put, "/spending/\(spending)/receipt", bytes: Self.png).status == .forbidden)
            #expect(try files(api) == before)
            #expect(Array(try await api.get("/spending/\(spending)/receipt", token: alice.access).body) == Self.jpeg)
            // Nothing staged is left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: api.settings.receiptsPath).count == 1)
        }
    }

    @Test func aReceiptHasItsSpendingsVisibilityAndPermissions() async throws {
        try await withApp { api in
            let owner = try await api.register("owner")
            let invite = try await api.post("/household/invite", token: owner.access).object?["code"] as? String
            let member = try await api.register("member", invite: invite)
            let stranger = try await api.register("stranger")
            let shared = try await api.createFunnel(owner.access, name: "Food", shared: true)
            let personal = try await api.createFunnel(owner.access, name: "Mine", shared: false)
            let ours = try await api.createSpending(owner.access, funnel: shared, amount: "3")
            let mine = try await api.createSpending(owner.access, funnel: personal, amount: "4")
            let members = try await api.createSpending(member.access, funnel: shared, amount: "5")
            for spending in [ours, mine] { _ = try await put(api, spending, Self.jpeg, token: owner.access) }

            #expect(try await api.get("/spending/\(ours)/receipt", token: member.access).status == .ok)
            #expect(try await api.get("/spending/\(mine)/receipt", token: member.access).status == .notFound)
            #expect(try await api.get("/spending/\(ours)/receipt", token: stranger.access).status == .notFound)
            // Who may change the spending may change its receipt: its author, and the owner.
            #expect(try await put(api, ours, Self.png, token: member.access).status == .forbidden)
            #expect(try await api.delete("/spending/\(ours)/receipt", token: member.access).status == .forbidden)
            #expect(try await put(api, members, Self.png, token: member.access).status == .ok)
            #expect(try await put(api, members, Self.jpeg, token: owner.access).status == .ok)
            #expect(try await put(api, ours, Self.png, token: stranger.access).status == .notFound)
            // Three spendings, one picture: one file.
            #expect(try files(api).count == 1)
        }
    }

    @Test func theFileGoesWhenItsLastSpendingGoes() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let food = try await api.createFunnel(alice.access, name: "Food")
            let other = try await api.createFunnel(alice.access, name: "Other")
            let first = try await api.createSpending(alice.access, funnel: food, amount: "1")
            let second = try await api.createSpending(alice.access, funnel: other, amount: "2")
            _ = try await put(api, first, Self.jpeg, token: alice.access)
            _ = try await put(api, second, Self.jpeg, token: alice.access)
            #expect(try files(api).count == 1)

            #expect(try await api.delete("/spending/\(first)", token: alice.access).status == .noContent)
            #expect(try files(api).count == 1)  // the second still shows it
            // Deleting the funnel deletes its spendings, and so the receipt (swept after the commit).
            #expect(try await api.delete("/funnel/\(other)", token: alice.access).status == .noContent)
            for _ in 0..<50 where try !files(api).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try files(api).isEmpty)
        }
    }
}
