import Hummingbird
import Storage

/// Liveness for old clients (/ping) and readiness for Docker (/healthz: the database answers).
struct HealthController {
    let database: StrackerDatabase

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("ping") { _, _ in WireJSON.response("pong") }
            .get("healthz", use: health)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async -> Response {
        guard await database.isHealthy() else {
            return WireJSON.response(status: .serviceUnavailable, ["status": "unavailable"])
        }
        return WireJSON.response(["status": "ok"])
    }
}
