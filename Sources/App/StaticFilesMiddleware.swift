import HTTPTypes
import Hummingbird
import Logging

/// Serves the PWA from WEB_DIR for GET/HEAD requests no route answers, with the security
/// headers the app's pages need. `?v=` assets are immutable; everything else revalidates
/// (index.html and sw.js above all: a stale one would pin old code).
struct StaticFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: FileMiddleware<Context, LocalFileSystem>

    init(webDir: String, logger: Logger) {
        files = FileMiddleware(webDir, searchForIndexHtml: true, logger: logger)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && (request.method == .get || request.method == .head) {
            var response = try await files.handle(request, context: context) { _, _ in throw error }
            response.headers.append(contentsOf: staticFileSecurityHeaders)
            let immutable = request.uri.queryParameters["v"] != nil
            response.headers[.cacheControl] = immutable ? "public, max-age=31536000, immutable" : "no-cache"
            if request.uri.path.hasSuffix(".webmanifest") {
                response.headers[.contentType] = "application/manifest+json"
            }
            return response
        }
    }

}

/// Sent with every file of the PWA: no inline script runs, no type is sniffed, no referrer leaks.
let staticFileSecurityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
]

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
