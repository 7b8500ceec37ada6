import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// /spending/{id}/receipt: a picture of the receipt, kept with the spending. Whoever sees the
/// spending sees its receipt; whoever may change the spending (who recorded it, the owner) may
/// attach, replace or remove it. It goes when its spending goes.
struct ReceiptController {
    let receipts: ReceiptStore
    let clock: ServiceClock

    /// The largest picture accepted (RequestLimitsMiddleware lets this route's body through).
    static let maxBytes = 5 * 1024 * 1024

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .put(":id/receipt", use: attach)
            .get(":id/receipt", use: show)
            .delete(":id/receipt", use: detach)
    }

    struct Output: ResponseEncodable {
        var contentType: String
        var size: Int
        var hash: String
    }

    @Sendable func attach(_ request: Request, context: AuthenticatedContext) async throws -> Output {
        let id = try Self.id(context)
        let body = try await request.body.collect(upTo: Self.maxBytes)
        let bytes = Array(body.readableBytesView)
        guard !bytes.isEmpty else {
            throw ValidationFailure([.init(loc: ["body"], msg: "The body should be the picture (JPEG, PNG, WebP or HEIC)", type: "missing")])
        }
        guard let image = ReceiptImage(recognising: bytes) else {
            // 422, not 415: the contract reads no request's Content-Type; these are the bytes' own signatures.
            throw ValidationFailure([.init(loc: ["body"], msg: "A receipt must be a JPEG, PNG, WebP or HEIC picture", type: "value_error")])
        }
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let identity = context.identity
        let receipt = try await receipts.attach(
            bytes, hash: hash, contentType: image.contentType, spendingId: id, householdId: identity.householdId,
            userId: identity.userId, now: clock.millis
        ) { spending in try SpendingController.requireEditable(spending, by: identity) }
        return Output(contentType: receipt.contentType, size: receipt.size, hash: receipt.hash)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let identity = context.identity
        guard let receipt = try await receipts.receipt(spendingId: try Self.id(context), householdId: identity.householdId, userId: identity.userId),
            let data = FileManager.default.contents(atPath: receipts.path(of: receipt.hash))
        else { throw APIError(.notFound, "This spending has no receipt") }
        let etag = "\"\(receipt.hash)\""
        let kind = ReceiptImage(rawValue: receipt.contentType)
        var headers: HTTPFields = [
            .contentType: receipt.contentType,
            // Private: never kept by a shared cache; revalidated, since a new PUT replaces it under the same URL.
            .cacheControl: "private, no-cache",
            .eTag: etag,
            // The type is the one recognised from the bytes at upload; never let a browser guess another.
            .xContentTypeOptions: "nosniff",
            .contentDisposition: "inline; filename=\"receipt.\(kind?.fileExtension ?? "bin")\"",
        ]
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func detach(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let identity = context.identity
        let removed = try await receipts.detach(spendingId: try Self.id(context), householdId: identity.householdId, userId: identity.userId) {
            spending in try SpendingController.requireEditable(spending, by: identity)
        }
        guard removed else { throw APIError(.notFound, "This spending has no receipt") }
        return .noContent
    }

    private static func id(_ context: AuthenticatedContext) throws -> String {
        // As /spending/{id}: any id that names no visible spending is a 404.
        try context.parameters.require("id").lowercased()
    }
}
