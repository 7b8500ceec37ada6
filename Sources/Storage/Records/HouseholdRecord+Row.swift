import GRDB

extension HouseholdRecord {
    /// Read by column name, by hand, like `FunnelRecord.init(row:)` and for the same reason:
    /// every uncached view reads its household first, and the snake-case strategy converted its
    /// six column names again on every read (about 70 000 instructions of an uncached /history).
    /// The round-trip test keeps this in step with the encoding (a new property will not compile
    /// without a line here).
    public init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            name: try row.decode(forColumn: "name"),
            currency: try row.decode(forColumn: "currency"),
            periodStartDay: try row.decode(forColumn: "period_start_day"),
            timeZone: try row.decode(forColumn: "time_zone"),
            createdAt: try row.decode(forColumn: "created_at"))
    }
}
