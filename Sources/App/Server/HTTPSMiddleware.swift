import HTTPTypes
import Hummingbird

/// Over HTTPS, tells the browser to use nothing else for this host for `maxAge` seconds
/// (RFC 6797). Outside the error middleware, so that error answers carry it too.
struct StrictTransportSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    let value: String

    init(maxAge: Int) {
        value = "max-age=\(maxAge)"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.strictTransportSecurity] = value
        return response
    }
}

/// The whole of the plain-HTTP port next to an HTTPS one (HTTP_REDIRECT_PORT): every request is
/// sent to the same host and path on the HTTPS port with 308, which keeps the method and body.
/// A Host that is not a name or an address gets 400 rather than a redirect to somewhere odd.
struct HTTPSRedirectResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let httpsPort: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let authority = request.head.authority, let host = Self.host(ofAuthority: authority) else {
            return WireJSON.response(status: .badRequest, ["detail": "A Host header naming this server is required"])
        }
        let port = httpsPort == 443 ? "" : ":\(httpsPort)"
        let target = "https://\(host)\(port)\(request.uri.path)\(request.uri.query.map { "?\($0)" } ?? "")"
        return WireJSON.response(
            status: .permanentRedirect, headers: [.location: target],
            ["detail": "This server is reached over HTTPS: \(target)"])
    }

    /// The host of a Host header without its port: a DNS name, an IPv4 address, or an IPv6
    /// address in brackets; nil for anything else (spaces, slashes, user info, an empty name).
    static func host(ofAuthority authority: String) -> String? {
        var host = Substring(authority)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let address = host[host.index(after: host.startIndex)..<close]
            guard IPRange.bytes(of: String(address))?.count == 16 else { return nil }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && rest.dropFirst().allSatisfy(\.isASCIIDigit)) else { return nil }
            return "[\(address)]"
        }
        if let colon = host.lastIndex(of: ":") {
            guard host[host.index(after: colon)...].allSatisfy(\.isASCIIDigit) else { return nil }
            host = host[..<colon]
        }
        let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        guard !host.isEmpty, host.count <= 253, allowed, !host.hasPrefix("."), !host.hasPrefix("-") else { return nil }
        return String(host)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
