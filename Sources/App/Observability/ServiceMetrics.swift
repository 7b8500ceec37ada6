import CoreMetrics
import Prometheus
import Synchronization

/// The service's metrics, through swift-metrics with a Prometheus registry of this application's
/// own (no global bootstrap: every `buildApplication`, in tests too, counts on its own), exposed
/// at GET /metrics in the Prometheus text format.
final class ServiceMetrics: Sendable {
    enum LoginOutcome: String {
        case succeeded, failed, throttled
    }

    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Every answered request, for `IdleMemoryRelease` to tell a quiet server.
    let requestsAnswered = Atomic<UInt64>(0)

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Our answers take tens of microseconds to milliseconds: the default buckets start at 5 ms.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// One answered request: `route` is the router's path template (`/spending/:id`), never the
    /// path itself, so ids do not become label values.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        requestsAnswered.add(1, ordering: .relaxed)
        Counter(label: "http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            .increment()
        Timer(label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    func recordLogin(_ outcome: LoginOutcome) {
        Counter(label: "logins_total", dimensions: [("outcome", outcome.rawValue)], factory: factory).increment()
    }

    func recordRefreshTokenReuse() {
        Counter(label: "refresh_token_reuse_total", factory: factory).increment()
    }

    /// One write transaction, from BEGIN to the end of its COMMIT (which syncs the log).
    func recordDatabaseWrite(_ duration: Duration) {
        Timer(label: "database_write_duration_seconds", factory: factory).recordNanoseconds(duration.nanoseconds)
    }

    /// One group commit (GroupCommit) and the writes it held: their ratio is the writes that
    /// shared each sync of the log.
    func recordGroupCommit(writes: Int) {
        Counter(label: "database_group_commits_total", factory: factory).increment()
        Counter(label: "database_group_commit_writes_total", factory: factory).increment(by: writes)
    }

    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
