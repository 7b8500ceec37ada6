import Foundation
import Hummingbird

/// The API's JSON, both ways: snake_case keys from our camelCase properties (acronyms spelled
/// as words, `funnelId`, so the strategies map them both ways), sorted keys so that answers are
/// byte-stable (tests, caches), slashes in URIs unescaped, and `application/json` as the old
/// API answered (Hummingbird's own encoder adds a charset).
public struct WireJSON: ResponseEncoder {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Self.response(value)
    }

    static func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ value: some Encodable) -> Response {
        response(status: status, headers: headers, encoded: buffer(value))
    }

    /// An answer whose body was encoded before (and may be shared by many answers).
    static func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], encoded body: ByteBuffer) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        // Answers carry tokens, the TOTP secret or a family's spendings: never kept by a cache.
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    static func buffer(_ value: some Encodable) -> ByteBuffer {
        // Encoding our own plain wire types cannot fail; if it ever did, an empty object is
        // still valid JSON.
        ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    /// A key of ours as it is on the wire (`funnelId` → `funnel_id`), for error locations:
    /// the decoder reports the Swift names. Foundation's rule: an underscore before each
    /// uppercase letter that follows a lowercase one or starts a new word, then lowercased.
    static func wireKey(_ key: String) -> String {
        var out = ""
        let characters = Array(key)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previousIsLower = characters[index - 1].isLowercase
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previousIsLower || (nextIsLower && characters[index - 1].isUppercase) { out.append("_") }
            }
            out.append(contentsOf: character.lowercased())
        }
        return out
    }
}

/// A 201 whose body is the new resource's id as a JSON string, as the old API answered.
struct Created: ResponseGenerator {
    let id: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        WireJSON.response(status: .created, id)
    }
}
