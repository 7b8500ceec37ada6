import Storage
import Synchronization

/// The open GET /events streams and each household's recent changes.
///
/// `publish` (called right after each commit) gives every change a number in its household's
/// sequence, keeps the last `retention` of them for reconnecting clients, and hands it to the
/// streams of the members who may see it. A stream that reconnects with the id of the last
/// event it saw gets what it missed, or `reset` when that is no longer kept (or the server
/// restarted), which means "load everything again". A stream ends when its session is signed
/// out or its member leaves the household, when its access token expires (the client
/// reconnects with a fresh one), when it falls too far behind, and at shutdown.
final class EventHub: Sendable {
    enum CloseReason: String, Sendable {
        case signedOut = "signed_out"
        case leftHousehold = "left_household"
        case expired
        case shutdown
    }

    enum Message: Sendable, Equatable {
        case event(Event)
        case reset
        case ready(id: String)
        case heartbeat
        case closed(CloseReason)
    }

    struct Event: Sendable, Equatable {
        /// `<boot>-<sequence>`, the SSE id a client sends back as Last-Event-ID.
        let id: String
        let change: HouseholdChange
    }

    /// What a stream was opened with.
    struct Owner: Sendable, Equatable {
        let userId: String
        let sessionId: String
        let householdId: String
        /// The access token's `iat` and `exp` (seconds).
        let issuedAt: Int64
        let expiresAt: Int64

        func sees(_ change: HouseholdChange) -> Bool {
            change.householdId == householdId && (change.audience == nil || change.audience == userId)
        }
    }

    struct Subscription: Sendable {
        let id: Int
        let householdId: String
        /// What to send first: a replay (or `reset`) and `ready`; then `messages`.
        let opening: [Message]
        let messages: AsyncStream<Message>
    }

    private struct Backlog {
        var sequence: UInt64 = 0
        var events: [(sequence: UInt64, event: Event)] = []
        /// The highest sequence no longer kept.
        var forgottenThrough: UInt64 = 0
    }

    private struct Stream {
        let owner: Owner
        let continuation: AsyncStream<Message>.Continuation
    }

    private struct State {
        var backlogs: [String: Backlog] = [:]
        var streams: [String: [Int: Stream]] = [:]  // household id → stream id → stream
        var nextId = 0
        var shutDown = false
    }

    /// Tells this run's ids from a previous run's: a client that saw events before a restart
    /// gets `reset`, since the sequences start again.
    let boot: String
    /// Changes kept per household for reconnecting clients.
    let retention: Int
    /// Messages a stream may have waiting; a client that reads slower than that is cut off and
    /// catches up when it reconnects.
    let queueLimit: Int
    /// Why an owner's stream may not stay open (session signed out, no longer a member of its
    /// household), or nil while it may.
    let refusal: @Sendable (Owner) -> CloseReason?
    private let state = Mutex(State())

    init(boot: String, retention: Int = 256, queueLimit: Int = 256, refusal: @escaping @Sendable (Owner) -> CloseReason?) {
        self.boot = boot
        self.retention = retention
        self.queueLimit = queueLimit
        self.refusal = refusal
    }

    var openStreams: Int {
        state.withLock { $0.streams.values.reduce(0) { $0 + $1.count } }
    }

    /// Opens a stream for `owner`, replaying what came after `lastEventId` (the client's
    /// Last-Event-ID), atomically with respect to `publish`, so that nothing falls between.
    func subscribe(_ owner: Owner, lastEventId: String?) -> Subscription {
        let (messages, continuation) = AsyncStream.makeStream(of: Message.self, bufferingPolicy: .bufferingOldest(queueLimit))
        return state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            if state.shutDown {
                continuation.finish()
                return Subscription(id: id, householdId: owner.householdId, opening: [.closed(.shutdown)], messages: messages)
            }
            let backlog = state.backlogs[owner.householdId] ?? Backlog()
            var opening: [Message] = []
            if let lastEventId {
                if let seen = sequence(of: lastEventId), seen <= backlog.sequence, seen >= backlog.forgottenThrough {
                    opening = backlog.events.filter { $0.sequence > seen && owner.sees($0.event.change) }.map { .event($0.event) }
                } else {
                    opening = [.reset]
                }
            }
            opening.append(.ready(id: eventId(backlog.sequence)))
            state.streams[owner.householdId, default: [:]][id] = Stream(owner: owner, continuation: continuation)
            return Subscription(id: id, householdId: owner.householdId, opening: opening, messages: messages)
        }
    }

    /// Forgets a stream whose response ended (the client went away, or it was closed).
    func unsubscribe(_ subscription: Subscription) {
        let stream = state.withLock { $0.streams[subscription.householdId]?.removeValue(forKey: subscription.id) }
        stream?.continuation.finish()
    }

    func publish(_ changes: [HouseholdChange]) {
        state.withLock { state in
            for change in changes {
                var backlog = state.backlogs[change.householdId] ?? Backlog()
                backlog.sequence += 1
                let event = Event(id: eventId(backlog.sequence), change: change)
                backlog.events.append((backlog.sequence, event))
                if backlog.events.count > retention {
                    let dropped = backlog.events.count - retention
                    backlog.forgottenThrough = backlog.events[dropped - 1].sequence
                    backlog.events.removeFirst(dropped)
                }
                state.backlogs[change.householdId] = backlog
                for (id, stream) in state.streams[change.householdId] ?? [:] where stream.owner.sees(change) {
                    if case .dropped = stream.continuation.yield(.event(event)) {
                        // Too far behind: it ends once it has written what it has, and reconnects.
                        stream.continuation.finish()
                        state.streams[change.householdId]?[id] = nil
                    }
                }
            }
        }
    }

    /// Closes the streams whose owner is no longer admitted or whose token expired at `now`
    /// (seconds); with `heartbeat`, sends the others a keep-alive.
    func review(now: Int64, heartbeat: Bool = false) {
        let owners = state.withLock { state in
            state.streams.values.flatMap { $0.map { ($0.key, $0.value.owner) } }
        }
        // Outside the lock: admission reads the session and member mirrors, whose changes call here.
        var ending: [Int: CloseReason] = [:]
        for (id, owner) in owners {
            if now >= owner.expiresAt {
                ending[id] = .expired
            } else if let reason = refusal(owner) {
                ending[id] = reason
            }
        }
        state.withLock { state in
            for (household, streams) in state.streams {
                for (id, stream) in streams {
                    if let reason = ending[id] {
                        stream.continuation.yield(.closed(reason))
                        stream.continuation.finish()
                        state.streams[household]?[id] = nil
                    } else if heartbeat {
                        stream.continuation.yield(.heartbeat)
                    }
                }
            }
        }
    }

    /// Ends every stream and refuses new ones (the server is stopping).
    func shutDown() {
        state.withLock { state in
            state.shutDown = true
            for stream in state.streams.values.flatMap(\.values) {
                stream.continuation.yield(.closed(.shutdown))
                stream.continuation.finish()
            }
            state.streams = [:]
        }
    }

    /// Ends one stream at shutdown (the server waits for open responses before it stops).
    func close(_ subscription: Subscription, reason: CloseReason) {
        let stream = state.withLock { $0.streams[subscription.householdId]?.removeValue(forKey: subscription.id) }
        stream?.continuation.yield(.closed(reason))
        stream?.continuation.finish()
    }

    private func eventId(_ sequence: UInt64) -> String {
        "\(boot)-\(sequence)"
    }

    private func sequence(of eventId: String) -> UInt64? {
        let parts = eventId.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == boot else { return nil }
        return UInt64(parts[1])
    }
}
