import HTTPTypes
import Hummingbird

/// Refuses, before any body is read, what no route should see: a request naming two hosts
/// (a proxy and the server could read different ones), and a body declared larger than any
/// route accepts, answered 413 at once instead of after the first 64 KiB arrive. Both answers
/// close the connection, since the rest of the request is never read.
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // swift-nio-extras turns the first Host header into the authority; another one stays a field.
        if request.headers[fields: .secondHost].count > 0 {
            throw APIError(.badRequest, "Exactly one Host header is allowed", headers: [.connection: "close"])
        }
        if let declared = request.headers[.contentLength], let length = Int(declared), length > Self.limit(for: request, context: context) {
            throw APIError(.contentTooLarge, "Request body too large", headers: [.connection: "close"])
        }
        return try await next(request, context)
    }

    /// A CSV import and a receipt's picture may be large (each route reads its body up to its
    /// own limit); every other body is small.
    static func limit(for request: Request, context: Context) -> Int {
        let path = request.uri.path
        if request.method == .post && (path == "/import" || path == "/import/") { return ImportController.maxBytes }
        if request.method == .put && path.hasPrefix("/spending/") && (path.hasSuffix("/receipt") || path.hasSuffix("/receipt/")) {
            return ReceiptController.maxBytes
        }
        return context.maxUploadSize
    }
}

extension HTTPField.Name {
    /// A Host header after the first (which became the request's authority).
    static let secondHost = Self("Host")!
}
