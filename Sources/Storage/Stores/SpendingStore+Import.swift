import Foundation
import GRDB

extension SpendingStore {
    /// What an import reads inside its transaction: the household, the funnels the caller sees
    /// and the household's members, so that the rows are checked against what is stored now.
    public struct ImportContext: Sendable {
        public var household: HouseholdRecord
        public var funnels: [FunnelRecord]
        public var members: [UserRecord]
    }

    /// The rows to store, each naming its funnel; `newFunnels` are created first (as the caller's).
    public struct ImportPlan: Sendable {
        public struct Row: Sendable {
            public var timestamp: Int64
            public var amountMinor: Int64
            /// An existing funnel's id, or the name of one in `newFunnels`.
            public var funnel: FunnelReference
            public var userId: String
            public var note: String

            public init(timestamp: Int64, amountMinor: Int64, funnel: FunnelReference, userId: String, note: String) {
                self.timestamp = timestamp
                self.amountMinor = amountMinor
                self.funnel = funnel
                self.userId = userId
                self.note = note
            }
        }

        public enum FunnelReference: Sendable, Hashable {
            case existing(id: String)
            case new(name: String)
        }

        public var rows: [Row]
        public var newFunnels: [FunnelRecord]

        public init(rows: [Row], newFunnels: [FunnelRecord]) {
            self.rows = rows
            self.newFunnels = newFunnels
        }
    }

    public struct ImportOutcome: Sendable, Equatable {
        public var created = 0
        /// Rows equal (instant, amount, funnel) to a spending already stored: left out.
        public var duplicates = 0
        public var funnelsCreated: [String] = []
    }

    /// Checks and stores an import in one write transaction: `plan` turns the rows into
    /// spendings against what is stored now (and may refuse them by throwing); rows equal to a
    /// stored spending (same instant, amount and funnel) are counted, not stored again, each
    /// stored spending matching one row at most, so importing a file twice stores it once.
    /// `dryRun` counts and rolls back.
    public func importSpendings(
        householdId: String, userId: String, dryRun: Bool, now: Int64,
        _ plan: @Sendable (ImportContext) throws -> ImportPlan
    ) async throws -> ImportOutcome {
        try await db.writeWithoutTransaction { db in
            var outcome = ImportOutcome()
            try db.inTransaction {
                let household = try HouseholdStore.household(id: householdId, in: db)
                let funnels = try FunnelStore.visibleInOrder(householdId: householdId, userId: userId, in: db)
                let members = try UserRecord.filter(UserRecord.Columns.householdId == householdId).fetchAll(db)
                let planned = try plan(ImportContext(household: household, funnels: funnels, members: members))

                var ids: [String: String] = [:]
                var position = (funnels.map(\.position).max() ?? -1) + 1
                for var funnel in planned.newFunnels {
                    funnel.householdId = householdId
                    funnel.ownerId = userId
                    funnel.position = position
                    position += 1
                    try funnel.insert(db)
                    ids[funnel.name] = funnel.id
                    outcome.funnelsCreated.append(funnel.name)
                }

                struct Key: Hashable {
                    var funnelId: String
                    var timestamp: Int64
                    var amountMinor: Int64
                }
                var stored: [Key: Int] = [:]
                if let first = planned.rows.map(\.timestamp).min(), let last = planned.rows.map(\.timestamp).max() {
                    let existing = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT funnel_id, timestamp, amount_minor FROM spending
                            WHERE household_id = ? AND timestamp BETWEEN ? AND ?
                            """,
                        arguments: [householdId, first, last])
                    while let row = try existing.next() {
                        stored[Key(funnelId: row[0], timestamp: row[1], amountMinor: row[2]), default: 0] += 1
                    }
                }
                for row in planned.rows {
                    let funnelId: String
                    switch row.funnel {
                    case .existing(let id): funnelId = id
                    case .new(let name):
                        guard let id = ids[name] else { throw StorageError.funnelNotFound }
                        funnelId = id
                    }
                    let key = Key(funnelId: funnelId, timestamp: row.timestamp, amountMinor: row.amountMinor)
                    if let count = stored[key], count > 0 {
                        stored[key] = count - 1
                        outcome.duplicates += 1
                        continue
                    }
                    try SpendingRecord(
                        id: UUID().uuidString.lowercased(), funnelId: funnelId, householdId: householdId, userId: row.userId,
                        amountMinor: row.amountMinor, timestamp: row.timestamp, note: row.note, createdAt: now
                    ).insert(db)
                    outcome.created += 1
                }
                return dryRun ? .rollback : .commit
            }
            return outcome
        }
    }
}
