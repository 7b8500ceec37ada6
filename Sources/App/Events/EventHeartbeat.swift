import ServiceLifecycle

/// Sends heartbeats (so proxies keep the streams open and dead clients are noticed) and closes
/// the streams of expired tokens and of sessions another process signed out.
struct EventHeartbeat: Service {
    let hub: EventHub
    let interval: Duration
    let clock: ServiceClock

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                hub.review(now: clock.seconds, heartbeat: true)
            }
        }
        hub.shutDown()
    }
}
