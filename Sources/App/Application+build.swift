import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// Builds the whole service from its settings and a clock: database, stores, routes, server.
/// Production and the in-process tests both call it; tests pass their own clock and settings.
/// `onServing` runs once the listener is up, `onQuiet` after each spell of `quiet` without a
/// request (`stracker serve` gives memory back in both, see ProcessMemory).
public func buildApplication(
    settings: AppSettings, clock: ServiceClock = .system, onServing: @escaping @Sendable () -> Void = {},
    quiet: Duration = .seconds(10), onQuiet: (@Sendable () -> Void)? = nil
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "stracker")
        logger.logLevel = settings.logLevel
        return logger
    }()
    try DataFolder.prepare(settings.dataDir)
    // Before the database is opened (and perhaps migrated): a pair that cannot serve stops here.
    let certificates: CertificateReloader? = if let certFile = settings.tlsCertFile, let keyFile = settings.tlsKeyFile {
        try await CertificateReloader(certFile: certFile, keyFile: keyFile, logger: logger)
    } else {
        nil
    }
    let openFiles = ConnectionGuards.raiseOpenFileLimit()
    let database = try StrackerDatabase(path: settings.databasePath)
    let metrics = ServiceMetrics()
    database.observeWriteTransactions { metrics.recordDatabaseWrite($0) }
    database.groupCommit.observeBatches { metrics.recordGroupCommit(writes: $0) }
    let stores = try Stores(database: database)
    let events = EventHub.connected(to: stores, clock: clock)
    let router = try await buildRouter(stores: stores, settings: settings, clock: clock, logger: logger, metrics: metrics, events: events)
    var services: [any Service] = [
        DatabaseCloser(database: database, logger: logger),
        EventHeartbeat(hub: events, interval: .seconds(settings.eventHeartbeat), clock: clock),
    ]
    if let onQuiet {
        services.append(IdleMemoryRelease(activity: { metrics.requestsAnswered.load(ordering: .relaxed) }, quiet: quiet, release: onQuiet))
    }
    if let certificates {
        services.append(certificates)
        if settings.httpRedirectPort != 0 {
            services.append(httpsRedirectApplication(settings: settings, logger: logger))
        }
    }
    let scheme = certificates == nil ? "http" : "https"
    return Application(
        router: router,
        server: certificates.map { ConnectionGuards.https(settings: settings, certificates: $0, logger: logger) }
            ?? ConnectionGuards.http1(settings: settings, logger: logger),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "STracker"),
        services: services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? settings.port
            logger.notice("STracker is serving on \(scheme)://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(port)/")
            if let identity = certificates?.identity {
                logger.notice("TLS certificate", metadata: [
                    "names": "\(identity.names.joined(separator: ", "))", "not_valid_after": "\(identity.notValidAfter.ISO8601Format())",
                    "cert_file": "\(settings.tlsCertFile ?? "")",
                ])
            }
            logger.info("Connection limits", metadata: [
                "open_files": "\(openFiles)", "max_connections": "\(settings.maxConnections)",
                "idle_timeout": "\(settings.idleTimeout)", "request_timeout": "\(settings.requestTimeout)",
            ])
            onServing()
        },
        logger: logger
    )
}

/// The plain-HTTP port that only redirects to the HTTPS one (HTTP_REDIRECT_PORT).
private func httpsRedirectApplication(settings: AppSettings, logger: Logger) -> some Service {
    Application(
        responder: HTTPSRedirectResponder(httpsPort: settings.port),
        server: ConnectionGuards.http1(settings: settings, logger: logger),
        configuration: .init(address: .hostname(settings.host, port: settings.httpRedirectPort), serverName: "STracker"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? settings.httpRedirectPort
            logger.notice("Plain HTTP on port \(port) redirects to HTTPS on port \(settings.port)")
        },
        logger: logger)
}

/// The routes, each controller given what it uses: public ones, then those behind the
/// Authenticator, then 405 answers for every known path asked with a method it does not serve.
func buildRouter(
    stores: Stores, settings: AppSettings, clock: ServiceClock, logger: Logger, metrics: ServiceMetrics = ServiceMetrics(),
    events: EventHub? = nil
) async throws -> Router<AppRequestContext> {
    let keys = try KeyMaterial.load(settings: settings)
    let tokens = await TokenService(signingKey: keys.signingKey, accessTTL: settings.accessTTL, refreshTTL: settings.refreshTTL)
    let newHouseholds = NewHouseholds(settings: settings)
    let views = MemberViews(snapshots: stores.snapshots, versions: stores.versions)

    // HEAD is answered wherever GET is, as HTTP requires (the body left out).
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestObservationMiddleware(metrics: metrics))
    if settings.servesTLS && settings.hstsMaxAge > 0 {
        router.add(middleware: StrictTransportSecurityMiddleware(maxAge: settings.hstsMaxAge))
    }
    // Outside the error middleware, so that errors too carry the CORS headers a cross-origin client needs to read them.
    if !settings.corsOrigins.isEmpty {
        router.add(middleware: AllowedOriginsMiddleware(origins: settings.corsOrigins))
    }
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware())
    router.add(middleware: StaticFilesMiddleware(webDir: settings.webDir, logger: logger))
    router.addRoutes(HealthController(database: stores.database).endpoints)
    router.addRoutes(ContractController(webDir: settings.webDir).endpoints)
    router.addRoutes(MetricsController(metrics: metrics).endpoints)
    router.addRoutes(
        AccountController(
            accounts: stores.accounts, sessions: stores.sessions, directory: stores.directory, tokens: tokens,
            secrets: SecretBox(key: keys.encryptionKey), throttles: LoginThrottles(lockout: settings.loginLockout, signupLimit: settings.signupLimit),
            clientAddresses: ClientAddresses(trustedProxies: settings.trustedProxies), newHouseholds: newHouseholds,
            enrolments: stores.enrolments, sessionPolicy: settings.sessionPolicy, registration: settings.registration, metrics: metrics, clock: clock
        ).endpoints,
        atPath: "user")

    let authenticated = router.group()
        .add(middleware: Authenticator(
            tokens: tokens, sessions: stores.sessions.live, directory: stores.directory,
            activity: SessionActivity(sessions: stores.sessions), clock: clock))
        .group(context: AuthenticatedContext.self)
    authenticated.addRoutes(DeviceController(sessions: stores.sessions, clock: clock).endpoints, atPath: "user")
    let recoveryCodes = RecoveryCodesController(enrolments: stores.enrolments, accounts: stores.accounts, clock: clock)
    authenticated.addRoutes(recoveryCodes.endpoints, atPath: "user")
    authenticated.addRoutes(recoveryCodes.householdEndpoints, atPath: "household")
    authenticated.addRoutes(
        FunnelController(funnels: stores.funnels, views: views, directory: stores.directory, clock: clock).endpoints,
        atPath: "funnel")
    authenticated.addRoutes(
        SpendingController(spendings: stores.spendings, directory: stores.directory, clock: clock).endpoints, atPath: "spending")
    let receipts = try ReceiptStore(database: stores.database, folder: settings.receiptsPath)
    authenticated.addRoutes(ReceiptController(receipts: receipts, clock: clock).endpoints, atPath: "spending")
    // Files of receipts whose spendings went (a spending or funnel deleted, a member removed).
    stores.database.changes.observe { changes in
        if changes.contains(where: { [.spendingDeleted, .funnelDeleted, .many].contains($0.kind) }) {
            Task { try? await receipts.sweep() }
        }
    }
    authenticated.addRoutes(
        HouseholdController(households: stores.households, newHouseholds: newHouseholds, inviteTTL: settings.inviteTTL, clock: clock)
            .endpoints,
        atPath: "household")
    authenticated.addRoutes(
        ExportController(spendings: stores.spendings, directory: stores.directory, clock: clock).endpoints)
    authenticated.addRoutes(ImportController(spendings: stores.spendings, clock: clock).endpoints)
    authenticated.addRoutes(EventsController(hub: events ?? EventHub.connected(to: stores, clock: clock)).endpoints)
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
