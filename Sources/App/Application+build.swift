import Foundation
import Hummingbird
import Logging
import Storage

/// Builds the whole service from its settings and a clock: database, stores, routes, server.
/// Production and the in-process tests both call it; tests pass their own clock and settings.
public func buildApplication(settings: AppSettings, clock: ServiceClock = .system) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "stracker")
        logger.logLevel = settings.logLevel
        return logger
    }()
    try FileManager.default.createDirectory(atPath: settings.dataDir, withIntermediateDirectories: true)
    let database = try StrackerDatabase(path: settings.databasePath)
    let router = try await buildRouter(stores: try Stores(database: database), settings: settings, clock: clock, logger: logger)
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

/// The routes, each controller given what it uses: public ones, then those behind the
/// Authenticator, then 405 answers for every known path asked with a method it does not serve.
func buildRouter(stores: Stores, settings: AppSettings, clock: ServiceClock, logger: Logger) async throws -> Router<AppRequestContext> {
    let keys = try KeyMaterial.load(settings: settings)
    let tokens = await TokenService(signingKey: keys.signingKey, accessTTL: settings.accessTTL, refreshTTL: settings.refreshTTL)
    let newHouseholds = NewHouseholds(settings: settings)
    let views = MemberViews(snapshots: stores.snapshots, versions: stores.versions)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: StaticFilesMiddleware(webDir: settings.webDir, logger: logger))
    if !settings.corsOrigins.isEmpty {
        router.add(middleware: AllowedOriginsMiddleware(origins: settings.corsOrigins))
    }
    router.addRoutes(HealthController(database: stores.database).endpoints)
    router.addRoutes(
        AccountController(
            accounts: stores.accounts, sessions: stores.sessions, directory: stores.directory, tokens: tokens,
            secrets: SecretBox(key: keys.encryptionKey), throttles: LoginThrottles(lockout: settings.loginLockout),
            clientAddresses: ClientAddresses(trustedProxies: settings.trustedProxies), newHouseholds: newHouseholds,
            sessionPolicy: settings.sessionPolicy, clock: clock
        ).endpoints,
        atPath: "user")

    let authenticated = router.group()
        .add(middleware: Authenticator(tokens: tokens, revocations: stores.sessions.revocations, directory: stores.directory, clock: clock))
        .group(context: AuthenticatedContext.self)
    authenticated.addRoutes(DeviceController(sessions: stores.sessions, clock: clock).endpoints, atPath: "user")
    authenticated.addRoutes(
        FunnelController(funnels: stores.funnels, views: views, directory: stores.directory, clock: clock).endpoints,
        atPath: "funnel")
    authenticated.addRoutes(
        SpendingController(spendings: stores.spendings, directory: stores.directory, clock: clock).endpoints, atPath: "spending")
    authenticated.addRoutes(
        HouseholdController(households: stores.households, newHouseholds: newHouseholds, inviteTTL: settings.inviteTTL, clock: clock)
            .endpoints,
        atPath: "household")
    authenticated.addRoutes(
        OverviewController(views: views, snapshots: stores.snapshots, directory: stores.directory, clock: clock).endpoints)
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
