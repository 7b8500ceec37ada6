import Hummingbird
import Storage

/// Liveness for old clients (/ping) and readiness for Docker (/healthz: the database answers).
struct HealthController {
    let database: StrackerDatabase

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("ping") { _, _ in WireJSON.response("pong") }
        routes.get("healthz", use: health)
        return routes
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async -> Response {
        guard await database.isHealthy() else {
            return WireJSON.response(status: .serviceUnavailable, ["status": "unavailable"])
        }
        return WireJSON.response(["status": "ok"])
    }
}
