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
            guard Self.isPlainFilePath(request.uri.path) else { throw error }
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

    /// The PWA's files have plain names, so a path with anything else is refused before the file
    /// system sees it: a percent sign (an encoded NUL would cut `api.js%00.html` to `api.js`
    /// served as HTML; encoded dots or slashes would climb out of WEB_DIR), a backslash, a
    /// control character, or a `.`/`..` segment.
    static func isPlainFilePath(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            default:
                return false
            }
        }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }
}

/// Sent with every file of the PWA: no inline script runs, no type is sniffed, no referrer leaks.
let staticFileSecurityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
]

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
