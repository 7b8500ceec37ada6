import Foundation
import Hummingbird

/// A funnel as clients send it. On POST, name, limit, color and emoji are required; on PUT
/// and PATCH every field is optional and a missing one keeps its value.
struct FunnelInput: Decodable {
    var name: String?
    var limit: Decimal?
    var color: String?
    var emoji: String?
    var shared: Bool?
    var position: Int?
}

/// A funnel as every client sees it: the old fields first (id, name, limit, color, emoji,
/// remaining, daily), then ours.
struct FunnelOutput: ResponseEncodable {
    let id: String
    let name: String
    let limit: Decimal
    let color: String
    let emoji: String
    let remaining: Decimal
    let daily: Decimal
    let perDay: Decimal
    /// Absent on the period's last day (`Allowance.perDayFromTomorrow`).
    let perDayFromTomorrow: Decimal?
    let spent: Decimal
    let shared: Bool
    let owner: String
    let position: Int
}

struct ReorderInput: Decodable {
    let ids: [String]
}
