import Hummingbird

/// Liveness for old clients (/ping) and readiness for Docker (/healthz: the database answers).
struct HealthController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("ping") { _, _ in JSONBody.response("pong") }
        router.get("healthz") { _, _ in
            guard await services.storage.database.isHealthy() else {
                return JSONBody.response(status: .serviceUnavailable, ["status": "unavailable"])
            }
            return JSONBody.response(["status": "ok"])
        }
    }
}
