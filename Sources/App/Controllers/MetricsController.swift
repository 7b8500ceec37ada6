import Hummingbird

/// GET /metrics: the Prometheus text format. It names routes, statuses and counts, nothing of a
/// family's data; a server exposed to strangers can keep it from them at its proxy.
struct MetricsController {
    let metrics: ServiceMetrics

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
            }
    }
}
