import Foundation
import GRDB

/// Spendings, always read and written through the funnels their reader may see; each write
/// checks that, and takes the currency exponent, in its own savepoint of a group commit (the
/// writes of several phones waiting at one moment share one transaction and one sync of the log).
public struct SpendingStore: Sendable {
    let db: DatabasePool
    let commits: GroupCommit

    public enum Creation: Sendable, Equatable {
        case created(SpendingRecord)
        /// The same id was already stored with the same content: the create is a retry.
        case existing(SpendingRecord)

        public var spending: SpendingRecord {
            switch self {
            case .created(let spending), .existing(let spending): spending
            }
        }
    }

    /// A page of spendings: newest first.
    public struct Query: Sendable {
        /// nil: the start of the period containing `now`.
        public var from: Int64?
        public var to: Int64
        public var before: Int64?
        public var funnelId: String?
        public var limit: Int

        public init(from: Int64?, to: Int64, before: Int64? = nil, funnelId: String? = nil, limit: Int) {
            self.from = from
            self.to = to
            self.before = before
            self.funnelId = funnelId
            self.limit = limit
        }
    }

    /// Stores the spending `make` builds from the household's currency exponent, by `userId`
    /// in a funnel they may see, unless its id exists: a retry with the same content answers
    /// `.existing`, a different content under the same id throws `conflict`.
    /// `timestampChosen` is false when the server stamped the time: each retry gets another one.
    public func create(
        householdId: String, userId: String, timestampChosen: Bool, _ make: @escaping @Sendable (_ exponent: Int) throws -> SpendingRecord
    ) async throws -> Creation {
        try await commits.write { db in
            // Statements compiled once and kept: the query interface would build and authorize
            // each anew, a fifth of this write's CPU.
            let household = try HouseholdStore.household(id: householdId, in: db)
            var spending = try make(household.exponent)
            spending.householdId = householdId
            spending.userId = userId
            try FunnelStore.checkVisible(id: spending.funnelId, householdId: householdId, userId: userId, in: db)
            if let stored = try SpendingRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM spending WHERE id = ?"), arguments: [spending.id]) {
                guard stored.hasSameContent(as: spending, timestampChosen: timestampChosen) else { throw StorageError.conflict }
                return .existing(stored)
            }
            try spending.insert(db)
            return .created(spending)
        }
    }

    /// The spending `id` if `userId` may see it, with its household (whose currency its amount
    /// is in) and whether it has a receipt.
    public func spending(id: String, householdId: String, userId: String) async throws -> (SpendingRecord, HouseholdRecord, hasReceipt: Bool) {
        try await db.read { db in
            let spending = try Self.visibleSpending(id: id, householdId: householdId, userId: userId, in: db)
            return (spending, try HouseholdStore.household(id: householdId, in: db), try ReceiptRecord.exists(db, key: id))
        }
    }

    /// Applies `change` to the visible spending `id` (it may refuse by throwing), with the
    /// household's currency exponent; a spending moved to another funnel must land in one the
    /// caller may see. One transaction.
    @discardableResult
    public func update(
        id: String, householdId: String, userId: String, _ change: @escaping @Sendable (inout SpendingRecord, _ exponent: Int) throws -> Void
    ) async throws -> SpendingRecord {
        try await commits.write { db in
            let stored = try Self.visibleSpending(id: id, householdId: householdId, userId: userId, in: db)
            let household = try HouseholdStore.household(id: householdId, in: db)
            var spending = stored
            try change(&spending, household.exponent)
            precondition(
                spending.id == stored.id && spending.householdId == stored.householdId && spending.userId == stored.userId,
                "a spending keeps its id, household and author")
            if spending.funnelId != stored.funnelId {
                _ = try FunnelStore.visibleFunnel(id: spending.funnelId, householdId: householdId, userId: userId, in: db)
                // Never out of its author's sight (an owner moving a member's spending into the
                // owner's personal funnel).
                guard (try? FunnelStore.visibleFunnel(id: spending.funnelId, householdId: householdId, userId: stored.userId, in: db)) != nil
                else { throw StorageError.outOfAuthorsSight }
            }
            try spending.update(db)
            return spending
        }
    }

    /// Deletes the visible spending `id`, unless `mayDelete` refuses it.
    public func delete(id: String, householdId: String, userId: String, _ mayDelete: @escaping @Sendable (SpendingRecord) throws -> Void) async throws {
        try await commits.write { db in
            let spending = try Self.visibleSpending(id: id, householdId: householdId, userId: userId, in: db)
            try mayDelete(spending)
            _ = try spending.delete(db)
        }
    }

    static func visibleSpending(id: String, householdId: String, userId: String, in db: Database) throws -> SpendingRecord {
        let visibleFunnelIds = FunnelStore.visible(householdId: householdId, userId: userId).select(FunnelRecord.Columns.id)
        guard let spending = try SpendingRecord
            .filter(key: id)
            .filter(visibleFunnelIds.contains(SpendingRecord.Columns.funnelId))
            .fetchOne(db)
        else { throw StorageError.spendingNotFound }
        return spending
    }
}
