import Foundation
import Hummingbird

extension Request {
    /// Decodes the JSON body, letting `DecodingError` through so that ErrorMiddleware can answer
    /// with the 422 list shape (Hummingbird's `decode(as:)` turns it into a plain 400).
    func decodeJSON<Value: Decodable>(_ type: Value.Type, context: some RequestContext) async throws -> Value {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard StrictJSON.isValid(Array(buffer.readableBytesView)) else {
            throw ValidationFailure([.init(loc: ["body"], msg: "JSON decode error", type: "json_invalid")])
        }
        return try JSONDecoder().decode(Value.self, from: buffer)
    }
}
