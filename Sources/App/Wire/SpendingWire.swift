import Foundation
import Hummingbird

/// A spending as clients send it. `id`, a client-chosen UUID, makes POST idempotent.
struct SpendingInput: Decodable {
    var id: String?
    var amount: Decimal?
    var timestamp: Decimal?
    var funnelId: String?
    var note: String?
}

struct SpendingOutput: ResponseEncodable {
    let id: String
    let amount: Decimal
    let timestamp: Int64
    let funnelId: String
    let note: String
    let user: String
    /// GET /spending/{id}/receipt answers a picture.
    let hasReceipt: Bool
}
