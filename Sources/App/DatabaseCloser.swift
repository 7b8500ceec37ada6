import Logging
import ServiceLifecycle
import Storage

/// Closes the database once the server has drained its requests (graceful shutdown runs
/// services in reverse order, so this one ends after the HTTP server).
struct DatabaseCloser: Service {
    let database: StrackerDatabase
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        try database.close()
        logger.info("Database closed")
    }
}
