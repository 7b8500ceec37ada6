import Hummingbird

/// An answer other than success: a status and `{"detail": "…"}`, the shape every client parses.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let detail: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        WireJSON.response(status: status, headers: headers, ["detail": detail])
    }
}

extension APIError {
    // The auth answers are part of the wire contract (docs/architecture.md): the old client refreshes on 403.
    static let notAuthenticated = APIError(.forbidden, "Not authenticated")
    static let invalidCredentials = APIError(.forbidden, "Invalid authentication credentials")
    static let invalidToken = APIError(.badRequest, "Invalid token")
    static let authorizationExpired = APIError(.forbidden, "Authorization expired")
    static let tokenBlacklisted = APIError(.forbidden, "Token is blacklisted")
    static let refreshExpired = APIError(.forbidden, "Refresh token is expired")
    static let refreshBlacklisted = APIError(.forbidden, "Refresh token is blacklisted")
    static let invalidPassword = APIError(.forbidden, "Invalid password")
    static let invalidOTP = APIError(.badRequest, "Invalid OTP")
    static let usernameTaken = APIError(.badRequest, "Username already taken")
    static let inviteInvalid = APIError(.badRequest, "Invite code is invalid or expired")
    static let registrationClosed = APIError(.forbidden, "Registration is closed on this server")
    static let inviteRequired = APIError(.forbidden, "Registration on this server needs an invite code")

    static let notFound = APIError(.notFound, "Not Found")
    static let funnelNotFound = APIError(.notFound, "Funnel does not exist")
    static let spendingNotFound = APIError(.notFound, "Spending does not exist")
    static let deviceNotFound = APIError(.notFound, "Device does not exist")
    static let memberNotFound = APIError(.notFound, "Member does not exist")
    static let ownerOnly = APIError(.forbidden, "Only the household owner can do this")
    static let bodyTooLarge = APIError(.contentTooLarge, "Request body too large")

    static func tooManyAttempts(retryAfter seconds: Int64) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(seconds)
        return APIError(.tooManyRequests, "Too many failed attempts, try again in \(seconds) seconds", headers: headers)
    }

    static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(.methodNotAllowed, "Method Not Allowed", headers: headers)
    }
}
