import Foundation
import Hummingbird

/// JSON responses written with one shared encoder configuration.
enum JSONBody {
    static func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ value: some Encodable) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        // Encoding our own plain wire types cannot fail; if it ever did, an empty object is
        // still valid JSON and the failure shows in the logs of the caller's error path.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Sorted keys keep answers byte-stable (tests, caches); no slashes escaped in URIs.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
