import Foundation
import Hummingbird
import Logging
import Storage

/// Builds the whole service from its settings: database, stores, routes, server.
public func buildApplication(settings: AppSettings) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "stracker")
        logger.logLevel = settings.logLevel
        return logger
    }()
    try FileManager.default.createDirectory(atPath: settings.dataDir, withIntermediateDirectories: true)
    let database = try StrackerDatabase(path: settings.databasePath)
    let services = try await AppServices(settings: settings, storage: try Storage(database: database))
    let router = buildRouter(services: services, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "STracker"),
        services: [DatabaseCloser(database: database, logger: logger)],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? settings.port
            logger.notice("STracker is serving on http://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(port)/")
        },
        logger: logger
    )
}

/// The routes: public ones, then those behind the Authenticator, then 405 answers for every
/// known path asked with a method it does not serve.
public func buildRouter(services: AppServices, logger: Logger) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: StaticFilesMiddleware(webDir: services.settings.webDir, logger: logger))
    if !services.settings.corsOrigins.isEmpty {
        router.add(middleware: AllowedOriginsMiddleware(origins: services.settings.corsOrigins))
    }

    let authenticated = router.group()
        .add(middleware: Authenticator(services: services))
        .group(context: AuthenticatedContext.self)

    HealthController(services: services).addRoutes(to: router)
    AccountController(services: services).addRoutes(to: router, authenticated: authenticated)
    DeviceController(services: services).addRoutes(to: authenticated)
    FunnelController(services: services).addRoutes(to: authenticated)
    SpendingController(services: services).addRoutes(to: authenticated)
    HouseholdController(services: services).addRoutes(to: authenticated)
    OverviewController(services: services).addRoutes(to: authenticated)
    router.answerMethodNotAllowed()
    return router
}

extension Router<AppRequestContext> {
    /// Hummingbird answers an unserved method on a known path with 404; the contract says 405.
    func answerMethodNotAllowed() {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for served in Dictionary(grouping: routes, by: { $0.path.description }).values {
            let allowed = served.map(\.method)
            for method in methods where !allowed.contains(method) {
                on(served[0].path, method: method) { _, _ -> Response in
                    throw APIError.methodNotAllowed(allowed: allowed)
                }
            }
        }
    }
}
