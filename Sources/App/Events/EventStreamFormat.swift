import Storage

/// The text/event-stream framing (WHATWG HTML, "Server-sent events") of the hub's messages.
/// Changes are plain messages (a generic EventSource client's `onmessage` gets them all), with
/// the kind in the data; the stream's own signals are named events.
enum EventStreamFormat {
    /// Sent first: how long a client waits before reconnecting (ms).
    static let opening = "retry: 3000\n\n"

    static func text(_ message: EventHub.Message) -> String {
        switch message {
        case .event(let event):
            "id: \(event.id)\ndata: \(data(event.change))\n\n"
        case .reset:
            "event: reset\ndata: {\"type\":\"reset\"}\n\n"
        case .ready(let id):
            "id: \(id)\nevent: ready\ndata: {\"type\":\"ready\"}\n\n"
        case .heartbeat:
            ": heartbeat\n\n"
        case .closed(let reason):
            "event: closed\ndata: {\"type\":\"closed\",\"reason\":\"\(reason.rawValue)\"}\n\n"
        }
    }

    /// `{"type":"spending.created","id":"…","funnel_id":"…"}`: what changed, not its content, so
    /// the client loads what it shows through the routes that scope it.
    static func data(_ change: HouseholdChange) -> String {
        var fields = ["\"type\":\(JSONText.string(change.kind.rawValue))"]
        if let id = change.id { fields.append("\"id\":\(JSONText.string(id))") }
        if let funnelId = change.funnelId { fields.append("\"funnel_id\":\(JSONText.string(funnelId))") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
