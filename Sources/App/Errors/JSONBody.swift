import Foundation
import Hummingbird

/// JSON responses written with one shared encoder configuration.
enum JSONBody {
    static func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ value: some Encodable) -> Response {
        response(status: status, headers: headers, encoded: buffer(value))
    }

    /// An answer whose body was encoded before (and may be shared by many answers).
    static func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], encoded body: ByteBuffer) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    static func buffer(_ value: some Encodable) -> ByteBuffer {
        // Encoding our own plain wire types cannot fail; if it ever did, an empty object is
        // still valid JSON.
        ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    /// Sorted keys keep answers byte-stable (tests, caches); no slashes escaped in URIs.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
