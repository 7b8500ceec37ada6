import Foundation

struct HouseholdPatch: Decodable {
    var name: String?
    var currency: String?
    var periodStartDay: Int?
    var timeZone: String?

    enum CodingKeys: String, CodingKey {
        case name, currency
        case periodStartDay = "period_start_day"
        case timeZone = "time_zone"
    }
}

struct MemberOutput: Encodable {
    let username: String
    let role: String
    let joinedAt: Int64

    enum CodingKeys: String, CodingKey {
        case username, role
        case joinedAt = "joined_at"
    }
}

struct HouseholdOutput: Encodable {
    let id: String
    let name: String
    let currency: String
    let periodStartDay: Int
    let timeZone: String
    let role: String
    let members: [MemberOutput]

    enum CodingKeys: String, CodingKey {
        case id, name, currency, role, members
        case periodStartDay = "period_start_day"
        case timeZone = "time_zone"
    }
}

struct InviteOutput: Encodable {
    let code: String
    let expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case code
        case expiresAt = "expires_at"
    }
}

struct PeriodOutput: Encodable {
    let start: Int64
    let end: Int64
    let length: Int
    let daysAfterToday: Int

    enum CodingKeys: String, CodingKey {
        case start, end, length
        case daysAfterToday = "days_after_today"
    }
}

struct OverviewOutput: Encodable {
    let period: PeriodOutput
    let currency: String
    let household: String
    let username: String
    let funnels: [FunnelOutput]
    let recent: [SpendingOutput]
}

struct HistoryOutput: Encodable {
    struct FunnelSpent: Encodable {
        let id: String
        let spent: Decimal
        let limit: Decimal
    }

    struct Period: Encodable {
        let start: Int64
        let end: Int64
        let funnels: [FunnelSpent]
    }

    let currency: String
    let periods: [Period]
}
