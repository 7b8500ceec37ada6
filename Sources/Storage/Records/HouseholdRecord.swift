import GRDB

public struct HouseholdRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "household"
    public var id: String
    public var name: String
    public var currency: String
    public var periodStartDay: Int
    public var timeZone: String
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, currency
        case periodStartDay = "period_start_day"
        case timeZone = "time_zone"
        case createdAt = "created_at"
    }

    public init(id: String, name: String, currency: String, periodStartDay: Int, timeZone: String, createdAt: Int64) {
        self.id = id
        self.name = name
        self.currency = currency
        self.periodStartDay = periodStartDay
        self.timeZone = timeZone
        self.createdAt = createdAt
    }
}
