import Foundation

/// A spending as clients send it. `id`, a client-chosen UUID, makes POST idempotent.
struct SpendingInput: Decodable {
    var id: String?
    var amount: Decimal?
    var timestamp: Decimal?
    var funnelID: String?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case id, amount, timestamp, note
        case funnelID = "funnel_id"
    }
}

struct SpendingOutput: Encodable {
    let id: String
    let amount: Decimal
    let timestamp: Int64
    let funnelID: String
    let note: String
    let user: String

    enum CodingKeys: String, CodingKey {
        case id, amount, timestamp, note, user
        case funnelID = "funnel_id"
    }
}
