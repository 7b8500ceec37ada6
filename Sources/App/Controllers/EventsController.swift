import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// GET /events: the household's changes as Server-Sent Events, for as long as the access token
/// is valid. Authenticated like every route, by the Authorization header (the PWA reads the
/// stream with fetch, not EventSource, so no token ever goes into a URL); Last-Event-ID (the
/// header, as EventSource sends it on reconnecting) replays what the client missed.
struct EventsController {
    let hub: EventHub

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .get("events", use: stream)
    }

    @Sendable func stream(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let identity = context.identity
        let owner = EventHub.Owner(
            userId: identity.userId, sessionId: identity.sessionId, householdId: identity.householdId,
            issuedAt: identity.claims.iat, expiresAt: identity.claims.exp)
        let lastEventId = request.headers[.lastEventID].map { String($0) }
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8",
            .cacheControl: "no-store, no-transform",
            // nginx buffers proxied answers unless told not to; Caddy flushes event streams itself.
            .xAccelBuffering: "no",
        ]
        let hub = self.hub
        // Subscribed when the body is written, not before: an answer never written (HEAD) opens nothing.
        let body = ResponseBody { writer in
            let subscription = hub.subscribe(owner, lastEventId: lastEventId)
            defer { hub.unsubscribe(subscription) }
            try await writer.write(ByteBuffer(string: EventStreamFormat.opening + subscription.opening.map(EventStreamFormat.text).joined()))
            try await withGracefulShutdownHandler {
                for await message in subscription.messages {
                    try await writer.write(ByteBuffer(string: EventStreamFormat.text(message)))
                }
            } onGracefulShutdown: {
                // The server waits for open answers before it stops: end this one.
                hub.close(subscription, reason: .shutdown)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
