import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Storage

/// The outermost middleware: whatever a route or middleware throws becomes a JSON answer of
/// the contract's shape; an unexpected error is logged and answered 500 without detail.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch StorageError.outOfAuthorsSight {
            // A 422 is always a list of issues in the contract: this one is the body's funnel_id.
            return try ValidationFailure(body: ["funnel_id"], "A spending can only move to a funnel its author can see")
                .response(from: request, context: context)
        } catch let error as StorageError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as ValidationFailure {
            return try error.response(from: request, context: context)
        } catch let error as DecodingError {
            return try ValidationFailure(decoding: error).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError.bodyTooLarge.response(from: request, context: context)
        } catch is HTTPParserError {
            // A malformed body (an invalid chunk size) is the client's fault; the connection
            // cannot be read further, so it is closed after the answer.
            return try APIError(.badRequest, "Malformed HTTP request", headers: [.connection: "close"]).response(from: request, context: context)
        } catch let error as HTTPError {
            return try APIError(error).response(from: request, context: context)
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return WireJSON.response(status: .internalServerError, ["detail": "Internal Server Error"])
        }
    }
}

extension APIError {
    /// Hummingbird's own errors (unknown route, body too large, unreadable body), in our shape.
    init(_ error: HTTPError) {
        switch error.status {
        case .notFound: self = .notFound
        case .contentTooLarge: self = .bodyTooLarge
        default: self.init(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        }
    }
}

extension APIError {
    /// What a store refused, in the contract's words.
    init(_ error: StorageError) {
        switch error {
        case .usernameTaken: self = .usernameTaken
        case .inviteInvalid: self = .inviteInvalid
        // The caller's household went away under a valid token: they must sign in again.
        case .householdNotFound: self = .tokenBlacklisted
        case .funnelNotFound: self = .funnelNotFound
        case .spendingNotFound: self = .spendingNotFound
        case .memberNotFound: self = .memberNotFound
        case .conflict: self.init(.conflict, "A different spending already has this id")
        case .lastMember: self.init(.conflict, "You are the only member of this household")
        case .holdsOthersSpendings:
            self.init(.forbidden, "This funnel holds other members' spendings: only the household owner can make it personal or delete it")
        case .outOfAuthorsSight: self.init(.unprocessableContent, "A spending can only move to a funnel its author can see")  // answered as a ValidationFailure above
        }
    }
}

extension ValidationFailure {
    /// A body that did not decode, described as FastAPI/pydantic did (the shape old clients parse).
    init(decoding error: DecodingError) {
        func location(_ path: [any CodingKey]) -> [Location] {
            // The decoder names our Swift properties; the client sent (and reads) wire keys.
            ["body"] + path.map { key in key.intValue.map(Location.index) ?? .key(WireJSON.wireKey(key.stringValue)) }
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init([Issue(loc: location(context.codingPath + [key]), msg: "Field required", type: "missing")])
        case .valueNotFound(let type, let context):
            self.init([Issue(loc: location(context.codingPath), msg: "Input should be \(Self.describe(type))", type: "missing")])
        case .typeMismatch(let type, let context):
            self.init([Issue(loc: location(context.codingPath), msg: "Input should be \(Self.describe(type))", type: Self.typeCode(type))])
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init([Issue(loc: ["body"], msg: "JSON decode error", type: "json_invalid")])
        case .dataCorrupted(let context):
            self.init([Issue(loc: location(context.codingPath), msg: context.debugDescription, type: "value_error")])
        @unknown default:
            self.init([Issue(loc: ["body"], msg: "Invalid body", type: "value_error")])
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch typeCode(type) {
        case "string_type": "a valid string"
        case "number_type": "a valid number"
        case "bool_type": "a valid boolean"
        case "list_type": "a valid list"
        default: "a valid object"
        }
    }

    private static func typeCode(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "string_type"
        case is Decimal.Type, is Int.Type, is Int64.Type, is Double.Type: "number_type"
        case is Bool.Type: "bool_type"
        case is [Any].Type: "list_type"
        default: "model_type"
        }
    }
}
