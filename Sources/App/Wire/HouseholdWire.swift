import Foundation
import Hummingbird

struct HouseholdPatch: Decodable {
    var name: String?
    var currency: String?
    var periodStartDay: Int?
    var timeZone: String?
}

struct MemberOutput: Encodable {
    let username: String
    let role: String
    let joinedAt: Int64
}

struct HouseholdOutput: ResponseEncodable {
    let id: String
    let name: String
    let currency: String
    let periodStartDay: Int
    let timeZone: String
    let role: String
    let members: [MemberOutput]
}

struct InviteOutput: ResponseEncodable {
    let code: String
    let expiresAt: Int64
}

struct PeriodOutput: Encodable {
    let start: Int64
    let end: Int64
    let length: Int
    let daysAfterToday: Int
}

struct OverviewOutput: ResponseEncodable {
    let period: PeriodOutput
    let currency: String
    let household: String
    let username: String
    let funnels: [FunnelOutput]
    let recent: [SpendingOutput]
}
