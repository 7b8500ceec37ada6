import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Serves the PWA from WEB_DIR for GET/HEAD requests no route answers, with the security
/// headers the app's pages need. `?v=` assets are immutable; everything else revalidates
/// (index.html and sw.js above all: a stale one would pin old code).
///
/// Text files are also kept gzipped beside themselves (`app.js.gz`, written by
/// tools/browser_assets.py): a browser that accepts gzip gets those bytes with
/// `Content-Encoding: gzip`, about a third of the size. They are made ahead of time because the
/// service has no compressor of its own. A twin older than its file is stale (the file was
/// edited and the tool not run) and is not used: the plain file is always the truth.
struct StaticFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    let fileSystem: LocalFileSystem
    let files: FileMiddleware<Context, LocalFileSystem>

    init(webDir: String, logger: Logger) {
        fileSystem = LocalFileSystem(rootFolder: webDir, threadPool: .singleton, logger: logger)
        files = FileMiddleware(fileProvider: fileSystem, searchForIndexHtml: true)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && (request.method == .get || request.method == .head) {
            guard Self.isPlainFilePath(request.uri.path) else { throw error }
            let fileName = request.uri.path.hasSuffix("/") ? "index.html" : String(request.uri.path.split(separator: "/").last ?? "")
            let mediaType = Self.compressibleMediaType(of: fileName)
            var response: Response
            if let mediaType, Self.acceptsGzip(request.headers[values: .acceptEncoding]),
                var compressed = try await gzipped(request, context: context)
            {
                compressed.headers[.contentType] = mediaType
                compressed.headers[.contentEncoding] = "gzip"
                response = compressed
            } else {
                response = try await files.handle(request, context: context) { _, _ in throw error }
            }
            if mediaType != nil {
                // Caches must keep the gzipped and the plain answer apart.
                response.headers[.vary] = "Accept-Encoding"
            }
            response.headers.append(contentsOf: staticFileSecurityHeaders)
            let immutable = request.uri.queryParameters["v"] != nil
            response.headers[.cacheControl] = immutable ? "public, max-age=31536000, immutable" : "no-cache"
            if fileName.hasSuffix(".webmanifest") {
                response.headers[.contentType] = "application/manifest+json"
            }
            return response
        }
    }

    /// The file's `.gz` twin as FileMiddleware answers it (ranges, ETag and If-None-Match of
    /// the compressed bytes), or nil when there is none or it is older than the file.
    private func gzipped(_ request: Request, context: Context) async throws -> Response? {
        let source = request.uri.path + (request.uri.path.hasSuffix("/") ? "index.html" : "")
        let path = source + ".gz"
        guard let sourceID = fileSystem.getFileIdentifier(source), let twinID = fileSystem.getFileIdentifier(path),
            let sourceFile = try await fileSystem.getAttributes(id: sourceID), !sourceFile.isFolder,
            let twin = try await fileSystem.getAttributes(id: twinID), twin.modificationDate >= sourceFile.modificationDate
        else { return nil }
        var head = request.head
        head.path = request.uri.query.map { "\(path)?\($0)" } ?? path
        do {
            return try await files.handle(Request(head: head, body: request.body), context: context) { _, _ in throw HTTPError(.notFound) }
        } catch let error as HTTPError where error.status == .notFound {
            return nil
        }
    }

    /// The media type of a PWA text file, which compresses well (images are compressed
    /// already), as FileMiddleware names it for the plain file; nil for anything else.
    static func compressibleMediaType(of fileName: String) -> String? {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let fileExtension = String(fileName[fileName.index(after: dot)...])
        guard ["html", "js", "css", "svg", "json", "webmanifest"].contains(fileExtension) else { return nil }
        return MediaType.getMediaType(forExtension: fileExtension)?.description ?? "application/octet-stream"
    }

    /// Whether an Accept-Encoding header lets us answer in gzip: `gzip` or `*` named with a
    /// quality above zero (RFC 9110 §12.5.3; "gzip;q=0" refuses it).
    static func acceptsGzip(_ values: [String]) -> Bool {
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
                let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
                if quality > 0 { return true }
            }
        }
        return false
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
