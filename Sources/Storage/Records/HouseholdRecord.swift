import GRDB

public struct HouseholdRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "household"
    public var id: String
    public var name: String
    public var currency: String
    public var periodStartDay: Int
    public var timeZone: String
    public var createdAt: Int64

    public init(id: String, name: String, currency: String, periodStartDay: Int, timeZone: String, createdAt: Int64) {
        self.id = id
        self.name = name
        self.currency = currency
        self.periodStartDay = periodStartDay
        self.timeZone = timeZone
        self.createdAt = createdAt
    }
}
