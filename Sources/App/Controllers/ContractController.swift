import Foundation
import Hummingbird

/// GET /openapi.yaml: the API contract (web/openapi.yaml), read once at start. A test keeps it
/// and the router in step (OpenAPIContractTests).
struct ContractController {
    let document: ByteBuffer?

    init(webDir: String) {
        let path = (webDir as NSString).appendingPathComponent("openapi.yaml")
        document = FileManager.default.contents(atPath: path).map { ByteBuffer(bytes: $0) }
    }

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .get("openapi.yaml", use: contract)
    }

    @Sendable func contract(_ request: Request, context: AppRequestContext) throws -> Response {
        guard let document else { throw APIError.notFound }
        return Response(status: .ok, headers: [.contentType: "application/yaml", .cacheControl: "no-cache"], body: .init(byteBuffer: document))
    }
}
