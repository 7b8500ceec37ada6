import ServiceLifecycle

/// Gives memory back once the server has been quiet for `quiet` (no request answered in a whole
/// interval), once per quiet spell: a family's server is idle most of the day, and what the
/// last requests and the services starting after `onServing` faulted in (code, in 64 KiB runs)
/// or freed (heap) would otherwise stay resident until the next busy moment.
struct IdleMemoryRelease: Service {
    /// A count that moves whenever a request is answered.
    let activity: @Sendable () -> UInt64
    let quiet: Duration
    let release: @Sendable () -> Void

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var seen = activity()
            var released = false
            while !Task.isCancelled {
                try await Task.sleep(for: quiet)
                let now = activity()
                if now != seen {
                    seen = now
                    released = false
                } else if !released {
                    release()
                    released = true
                }
            }
        }
    }
}
