import GRDB

extension FunnelRecord {
    /// Read by column name, by hand. Every view reads its funnels (ten on a typical screen, once
    /// per request), and GRDB's snake-case decoding strategy converts every column name of
    /// every row again: 100 000 instructions a funnel, a quarter of an uncached /history.
    /// Writing still goes through `Encodable` and the strategy; the round-trip test keeps the
    /// two in step (a new property will not compile without a line here).
    public init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            householdId: try row.decode(forColumn: "household_id"),
            ownerId: try row.decode(forColumn: "owner_id"),
            shared: try row.decode(forColumn: "shared"),
            name: try row.decode(forColumn: "name"),
            limitMinor: try row.decode(forColumn: "limit_minor"),
            color: try row.decode(forColumn: "color"),
            emoji: try row.decode(forColumn: "emoji"),
            position: try row.decode(forColumn: "position"),
            createdAt: try row.decode(forColumn: "created_at"))
    }
}
