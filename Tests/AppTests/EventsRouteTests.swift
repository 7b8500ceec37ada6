import Foundation
import HTTPTypes
import Testing

@testable import App

/// GET /events through the whole router: a member's stream carries the household's changes
/// that member may see, replays after Last-Event-ID, and ends when the session is signed out.
@Suite struct EventsRouteTests {
    /// The events of a stream's text, as (event name or "message", data) pairs, with ids.
    func events(_ text: String) -> [(event: String, id: String?, data: String)] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var event = "message", id: String?, data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            return data.map { (event, id, $0) }
        }
    }

    /// Opens a stream in the background; it is collected whole once the server ends it.
    func open(_ api: API, _ token: String, lastEventId: String? = nil) -> Task<Reply, any Error> {
        Task {
            var headers: HTTPFields = [:]
            if let lastEventId { headers[HTTPField.Name("Last-Event-ID")!] = lastEventId }
            return try await api.send(.get, "/events", token: token, headers: headers)
        }
    }

    /// Waits until the hub has `count` open streams (the body is written in its own task).
    func settle() async throws {
        try await Task.sleep(for: .milliseconds(200))
    }

    @Test func aMemberSeesTheHouseholdsChangesButNotAnothersPersonalOnesUntilSignedOut() async throws {
        try await withApp { api in
            let owner = try await api.register("owner")
            let invite = try await api.post("/household/invite", token: owner.access).object?["code"] as? String
            let member = try await api.register("member", invite: invite)
            let shared = try await api.createFunnel(owner.access, name: "Food", shared: true)
            let personal = try await api.createFunnel(owner.access, name: "Mine", shared: false)

            let stream = open(api, member.access)
            try await settle()
            let visible = try await api.createSpending(owner.access, funnel: shared, amount: "12.50")
            _ = try await api.createSpending(owner.access, funnel: personal, amount: "3")
            try await api.delete("/spending/\(visible)", token: owner.access)
            #expect(try await api.post("/user/logout", token: member.access).status == .noContent)

            let reply = try await stream.value
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/event-stream; charset=utf-8")
            #expect(reply.text.hasPrefix("retry: 3000\n\n"))
            let got = events(reply.text)
            #expect(got.map(\.event) == ["ready", "message", "message", "closed"], "\(reply.text)")
            #expect(got[1].data == #"{"type":"spending.created","id":"\#(visible)","funnel_id":"\#(shared)"}"#)
            #expect(got[2].data == #"{"type":"spending.deleted","id":"\#(visible)","funnel_id":"\#(shared)"}"#)
            #expect(got[3].data == #"{"type":"closed","reason":"signed_out"}"#)

            // The signed-out token opens nothing.
            #expect(try await api.get("/events", token: member.access).status == .forbidden)
            #expect(try await api.get("/events").status == .forbidden)
        }
    }

    @Test func aReconnectGetsWhatItMissedAndALeaverIsCutOff() async throws {
        try await withApp(configure: { $0.eventHeartbeat = 1 }) { api in
            let owner = try await api.register("owner")
            let invite = try await api.post("/household/invite", token: owner.access).object?["code"] as? String
            let member = try await api.register("member", invite: invite)
            let shared = try await api.createFunnel(owner.access, name: "Food", shared: true)

            let first = open(api, owner.access)
            try await settle()
            let before = try await api.createSpending(owner.access, funnel: shared, amount: "1")
            // The member leaves: the owner hears of it; the member's own stream closes.
            let memberStream = open(api, member.access)
            try await settle()
            #expect(try await api.post("/household/leave", token: member.access).status == .noContent)
            let memberReply = try await memberStream.value
            #expect(events(memberReply.text).last?.data == #"{"type":"closed","reason":"left_household"}"#, "\(memberReply.text)")

            // The owner's stream ends when its access token expires (the next heartbeat looks).
            api.clock.advance(Double(api.settings.accessTTL))
            let after = try await api.login(owner)
            try await Task.sleep(for: .milliseconds(1_200 * api.settings.eventHeartbeat))
            let firstReply = try await first.value
            let got = events(firstReply.text)
            #expect(got.last?.data == #"{"type":"closed","reason":"expired"}"#, "\(firstReply.text)")
            let lastSeen = try #require(got.last { $0.event == "message" }?.id)
            #expect(got.contains { $0.data.contains(before) })
            #expect(got.contains { $0.data.contains("members.changed") })

            // Missed while away: replayed before "ready".
            let missed = try await api.createSpending(after.access, funnel: shared, amount: "2")
            let again = open(api, after.access, lastEventId: lastSeen)
            try await settle()
            #expect(try await api.post("/user/logout", token: after.access).status == .noContent)
            let replayed = events(try await again.value.text)
            #expect(replayed.map(\.event) == ["message", "ready", "closed"])
            #expect(replayed.first?.data.contains(missed) == true)
        }
    }
}
