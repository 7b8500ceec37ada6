import Foundation
import GRDB

/// Whatever writes a household through its record (registration, the old app's import, a
/// member moving out, the settings) keeps its stored periods in step with its rule, in the
/// same transaction: a rule the periods do not follow would make every view sum the spendings.
extension HouseholdRecord {
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        _ = try insert()
        try StoredPeriods.replace(householdId: id, rule: periodRule, now: Date(), in: db)
    }

    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        let before = try HouseholdRecord.fetchOne(db, key: id)
        _ = try update()
        if before?.periodRule != periodRule {
            try StoredPeriods.replace(householdId: id, rule: periodRule, now: Date(), in: db)
        }
    }
}
