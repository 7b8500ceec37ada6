import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: every request gets one structured log line (method, route, path,
/// status, duration, request id) and its metrics, and its answer carries X-Request-ID so that a
/// person reporting a problem can name the line. Only the path is logged, never the query, the
/// headers or the body: tokens, codes and secrets never reach the log.
struct RequestObservationMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ErrorMiddleware answers every error; what still escapes is Hummingbird's to answer.
            observe(request, context: context, status: (error as? HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
        response.headers[.xRequestID] = context.id
        observe(request, context: context, status: response.status.code, since: start)
        return response
    }

    private func observe(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        // Unknown paths share one label, so a scan cannot grow the metrics without bound.
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: status, duration: duration)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "path": "\(request.uri.path)", "status": "\(status)",
                "ms": "\(Double(duration.nanoseconds / 1_000) / 1_000)",
            ])
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-ID")!
}
