import Hummingbird

/// A 422 in the shape existing clients parse: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`.
public struct ValidationFailure: HTTPResponseError, Sendable, Equatable {
    public enum Location: Sendable, Equatable, Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .key(let key): try container.encode(key)
            case .index(let index): try container.encode(index)
            }
        }
    }

    public struct Issue: Sendable, Equatable, Encodable {
        public let loc: [Location]
        public let msg: String
        public let type: String
    }

    public var issues: [Issue]
    public var status: HTTPResponse.Status { .unprocessableContent }
    public var headers: HTTPFields { [:] }

    public init(_ issues: [Issue]) {
        self.issues = issues
    }

    /// One invalid field of the body (`field` may be a path such as ["items", 0, "name"]).
    public init(body field: [Location], _ message: String, type: String = "value_error") {
        self.init([Issue(loc: ["body"] + field, msg: message, type: type)])
    }

    public init(query name: String, _ message: String, type: String = "value_error") {
        self.init([Issue(loc: ["query", .key(name)], msg: message, type: type)])
    }

    public init(path name: String, _ message: String, type: String = "value_error") {
        self.init([Issue(loc: ["path", .key(name)], msg: message, type: type)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        WireJSON.response(status: status, ["detail": issues])
    }
}
