import Foundation
import Hummingbird

extension Request {
    /// Decodes the JSON body with the context's decoder, letting `DecodingError` through so that
    /// ErrorMiddleware can answer with the 422 list shape (Hummingbird's `decode(as:)` turns it
    /// into a plain 400).
    func decodeJSON<Value: Decodable, Context: RequestContext>(
        _ type: Value.Type, context: Context
    ) async throws -> Value where Context.Decoder == JSONDecoder {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard StrictJSON.isValid(Array(buffer.readableBytesView)) else {
            throw ValidationFailure([.init(loc: ["body"], msg: "JSON decode error", type: "json_invalid")])
        }
        return try context.requestDecoder.decode(Value.self, from: buffer)
    }
}

extension Request {
    /// The body decoded, or why not, for a route that must answer for its path (404, 403)
    /// before it answers for the body, but reads the body before its transaction starts.
    func decodedJSON<Value: Decodable, Context: RequestContext>(
        _ type: Value.Type, context: Context
    ) async -> Result<Value, any Error> where Context.Decoder == JSONDecoder {
        do {
            return .success(try await decodeJSON(type, context: context))
        } catch {
            return .failure(error)
        }
    }
}
