import Storage
import Synchronization
import Testing

@testable import App

/// The hub alone: who gets which change, what a reconnecting client is given, and when a
/// stream ends.
@Suite struct EventHubTests {
    static let household = "h1"
    let alice = EventHub.Owner(userId: "alice", sessionId: "s-a", householdId: household, issuedAt: 0, expiresAt: 1_000)
    let bob = EventHub.Owner(userId: "bob", sessionId: "s-b", householdId: household, issuedAt: 0, expiresAt: 1_000)
    let carol = EventHub.Owner(userId: "carol", sessionId: "s-c", householdId: "h2", issuedAt: 0, expiresAt: 1_000)

    func change(_ id: String, to audience: String? = nil, in household: String = household) -> HouseholdChange {
        HouseholdChange(householdId: household, kind: .spendingCreated, id: id, funnelId: "f", audience: audience)
    }

    /// What a stream has waiting, without waiting for more.
    func waiting(_ subscription: EventHub.Subscription, _ hub: EventHub, count: Int) async -> [EventHub.Message] {
        var out: [EventHub.Message] = []
        var iterator = subscription.messages.makeAsyncIterator()
        while out.count < count, let message = await iterator.next() { out.append(message) }
        return out
    }

    func ids(_ messages: [EventHub.Message]) -> [String?] {
        messages.map { message in
            if case .event(let event) = message { event.change.id } else { nil }
        }
    }

    @Test func eachChangeGoesToTheMembersWhoMaySeeIt() async {
        let hub = EventHub(boot: "b") { _ in nil }
        let a = hub.subscribe(alice, lastEventId: nil)
        let b = hub.subscribe(bob, lastEventId: nil)
        let c = hub.subscribe(carol, lastEventId: nil)
        #expect(a.opening == [.ready(id: "b-0")])
        hub.publish([change("shared"), change("alice's", to: "alice"), change("elsewhere", in: "h2")])
        hub.publish([change("bob's", to: "bob")])
        #expect(ids(await waiting(a, hub, count: 2)) == ["shared", "alice's"])
        #expect(ids(await waiting(b, hub, count: 2)) == ["shared", "bob's"])
        #expect(ids(await waiting(c, hub, count: 1)) == ["elsewhere"])
        #expect(hub.openStreams == 3)
        hub.unsubscribe(a)
        #expect(hub.openStreams == 2)
    }

    @Test func aReconnectingClientGetsWhatItMissedOrAReset() {
        let hub = EventHub(boot: "b", retention: 3) { _ in nil }
        hub.publish([change("1"), change("2", to: "bob"), change("3")])
        // Saw event 1: gets 3 (2 is bob's), then ready with the latest id.
        let again = hub.subscribe(alice, lastEventId: "b-1")
        #expect(ids(again.opening) == ["3", nil])
        #expect(again.opening.last == .ready(id: "b-3"))
        // Up to date: nothing to replay.
        #expect(hub.subscribe(alice, lastEventId: "b-3").opening == [.ready(id: "b-3")])
        // Another run's id, a future one, or garbage: load everything again.
        for stale in ["a-1", "b-9", "b-x", "", "b"] {
            #expect(hub.subscribe(alice, lastEventId: stale).opening == [.reset, .ready(id: "b-3")], "\(stale)")
        }
        // Once event 2 is no longer kept, a client that saw only 1 has missed it.
        hub.publish([change("4"), change("5")])
        #expect(hub.subscribe(alice, lastEventId: "b-1").opening == [.reset, .ready(id: "b-5")])
        #expect(ids(hub.subscribe(alice, lastEventId: "b-2").opening) == ["3", "4", "5", nil])
        // Sequences are per household: another household's ids say nothing of this one's.
        #expect(hub.subscribe(carol, lastEventId: nil).opening == [.ready(id: "b-0")])
    }

    @Test func reviewClosesSignedOutAndExpiredStreamsAndBeatsTheRest() async {
        let signedOut = Mutex<Set<String>>([])
        let hub = EventHub(boot: "b") { owner in signedOut.withLock { $0.contains(owner.sessionId) } ? .signedOut : nil }
        let a = hub.subscribe(alice, lastEventId: nil)
        let b = hub.subscribe(bob, lastEventId: nil)
        let expiring = hub.subscribe(
            EventHub.Owner(userId: "alice", sessionId: "s-a2", householdId: Self.household, issuedAt: 0, expiresAt: 10), lastEventId: nil)
        signedOut.withLock { _ = $0.insert("s-b") }
        hub.review(now: 10, heartbeat: true)
        #expect(await waiting(a, hub, count: 1) == [.heartbeat])
        #expect(await waiting(b, hub, count: 5) == [.closed(.signedOut)])
        #expect(await waiting(expiring, hub, count: 5) == [.closed(.expired)])
        #expect(hub.openStreams == 1)
        hub.shutDown()
        #expect(await waiting(a, hub, count: 5) == [.closed(.shutdown)])
        #expect(hub.subscribe(alice, lastEventId: nil).opening == [.closed(.shutdown)])
    }

    @Test func aStreamThatFallsBehindEndsAndCatchesUpOnReconnecting() async {
        let hub = EventHub(boot: "b", retention: 100, queueLimit: 4) { _ in nil }
        let slow = hub.subscribe(alice, lastEventId: nil)
        hub.publish((1...6).map { change("\($0)") })
        #expect(hub.openStreams == 0)
        let received = await waiting(slow, hub, count: 10)
        #expect(ids(received) == ["1", "2", "3", "4"])
        #expect(ids(hub.subscribe(alice, lastEventId: "b-4").opening) == ["5", "6", nil])
    }

    @Test func theWireFormatIsServerSentEvents() {
        let event = EventHub.Event(id: "b-7", change: change("s\"1"))
        #expect(EventStreamFormat.text(.event(event)) == "id: b-7\ndata: {\"type\":\"spending.created\",\"id\":\"s\\\"1\",\"funnel_id\":\"f\"}\n\n")
        #expect(EventStreamFormat.text(.ready(id: "b-7")) == "id: b-7\nevent: ready\ndata: {\"type\":\"ready\"}\n\n")
        #expect(EventStreamFormat.text(.closed(.signedOut)) == "event: closed\ndata: {\"type\":\"closed\",\"reason\":\"signed_out\"}\n\n")
        #expect(EventStreamFormat.text(.heartbeat) == ": heartbeat\n\n")
        let many = HouseholdChange(householdId: "h", kind: .many, id: nil, funnelId: nil, audience: nil)
        #expect(EventStreamFormat.data(many) == "{\"type\":\"changes\"}")
    }
}
