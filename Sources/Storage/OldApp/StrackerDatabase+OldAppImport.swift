import Foundation
import GRDB

extension StrackerDatabase {
    /// Writes `plan` in one transaction, so that a failure leaves the database as it was, and
    /// `dryRun` rolls it back after counting. The caller holds the data folder's lock: no server
    /// has the database open (its in-memory directory would not know the new users).
    ///
    /// Running it again imports nothing new: a user whose name is taken by an account with the
    /// same OTP secret is the one imported before (only the holder of that secret could have
    /// made it), and funnels and spendings whose id is already in that user's household are
    /// counted as already there. A name taken by an account with another secret is left alone,
    /// with everything of that user: nobody gets another person's data by registering first.
    ///
    /// - Parameters:
    ///   - seal: seals a user's OTP secret for the user id it will be stored under.
    ///   - secretOf: opens an existing user's sealed secret, nil when it does not open.
    public func importOldApp(
        _ plan: OldAppImportPlan, now: Int64, dryRun: Bool = false,
        seal: (_ secret: [UInt8], _ userId: String) throws -> Data,
        secretOf: (UserRecord) -> [UInt8]?
    ) throws -> OldAppImportOutcome {
        var outcome = OldAppImportOutcome()
        try pool.writeWithoutTransaction { db in
            try db.inTransaction {
                outcome = try Self.write(plan, now: now, seal: seal, secretOf: secretOf, in: db)
                return dryRun ? .rollback : .commit
            }
        }
        return outcome
    }

    private struct Owner {
        var userId: String
        var householdId: String
    }

    private static func write(
        _ plan: OldAppImportPlan, now: Int64,
        seal: (_ secret: [UInt8], _ userId: String) throws -> Data,
        secretOf: (UserRecord) -> [UInt8]?, in db: Database
    ) throws -> OldAppImportOutcome {
        var outcome = OldAppImportOutcome()
        // A household existed since its first spending, so that history starts there.
        var since: [String: Int64] = [:]
        for funnel in plan.funnels { since[funnel.owner] = min(since[funnel.owner] ?? now, funnel.createdAt) }

        var owners: [String: Owner] = [:]
        for user in plan.users {
            if let existing = try UserRecord.filter(UserRecord.Columns.usernameKey == UserRecord.key(for: user.username)).fetchOne(db) {
                if secretOf(existing) == user.otpSecret {
                    owners[user.username] = Owner(userId: existing.id, householdId: existing.householdId)
                    outcome.usersAlreadyThere += 1
                } else {
                    outcome.skipped.append(
                        "user \(user.username): an account of that name with another secret is already here; this user and their funnels and spendings are left out")
                }
                continue
            }
            let userId = UUID().uuidString.lowercased()
            let household = HouseholdRecord(
                id: UUID().uuidString.lowercased(), name: "\(user.username)'s household", currency: plan.households.currency,
                periodStartDay: plan.households.periodStartDay, timeZone: plan.households.timeZone,
                createdAt: since[user.username] ?? now)
            try household.insert(db)
            try UserRecord(
                id: userId, username: user.username, otpSecretSealed: try seal(user.otpSecret, userId), lastOtpStep: nil,
                householdId: household.id, role: .owner, createdAt: now
            ).insert(db)
            owners[user.username] = Owner(userId: userId, householdId: household.id)
            outcome.usersImported += 1
        }

        var homes: [String: Owner] = [:]
        var nextPosition: [String: Int] = [:]
        for funnel in plan.funnels {
            guard let owner = owners[funnel.owner] else {
                outcome.skipped.append("funnel \(funnel.id): its owner \(funnel.owner) was not imported")
                continue
            }
            if let existing = try FunnelRecord.fetchOne(db, key: funnel.id) {
                if existing.householdId == owner.householdId {
                    homes[funnel.id] = owner
                    outcome.funnelsAlreadyThere += 1
                } else {
                    outcome.skipped.append("funnel \(funnel.id): another household has a funnel with that id")
                }
                continue
            }
            let position = try nextPosition[owner.householdId] ?? (Int.fetchOne(
                db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM funnel WHERE household_id = ?",
                arguments: [owner.householdId]) ?? 0)
            nextPosition[owner.householdId] = position + 1
            // Personal, as every funnel was in the old app: the owner may share it later.
            try FunnelRecord(
                id: funnel.id, householdId: owner.householdId, ownerId: owner.userId, shared: false, name: funnel.name,
                limitMinor: funnel.limitMinor, color: funnel.color, emoji: funnel.emoji, position: position,
                createdAt: funnel.createdAt
            ).insert(db)
            homes[funnel.id] = owner
            outcome.funnelsImported += 1
        }

        for spending in plan.spendings {
            guard let home = homes[spending.funnelId] else {
                outcome.skipped.append("spending \(spending.id): its funnel \(spending.funnelId) was not imported")
                continue
            }
            if let existing = try SpendingRecord.fetchOne(db, key: spending.id) {
                if existing.householdId == home.householdId {
                    outcome.spendingsAlreadyThere += 1
                } else {
                    outcome.skipped.append("spending \(spending.id): another household has a spending with that id")
                }
                continue
            }
            try SpendingRecord(
                id: spending.id, funnelId: spending.funnelId, householdId: home.householdId, userId: home.userId,
                amountMinor: spending.amountMinor, timestamp: spending.timestamp, note: "",
                createdAt: min(spending.timestamp, now)
            ).insert(db)
            outcome.spendingsImported += 1
        }
        return outcome
    }
}
