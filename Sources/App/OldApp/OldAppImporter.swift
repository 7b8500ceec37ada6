import Budget
import Foundation
import Storage

/// `stracker import-stracker OLD.sqlite`: brings the older app's users, funnels and spendings
/// into this service's database, in one transaction.
public enum OldAppImporter {
    /// The old app's period: it always started on the 15th.
    static let oldPeriodStartDay = 15

    public struct Report: Sendable {
        public var outcome: OldAppImportOutcome
        /// Amounts and limits that were not a whole number of minor units.
        public var rounded: [String]
        /// Rows imported with a value changed to fit.
        public var adjusted: [String]
        /// Rows left out: by the conversion, then by the database (a name or an id already taken).
        public var skipped: [String]
        public var alembicVersion: String?
        public var dryRun: Bool

        /// "users 2, funnels 5, spendings 120, skipped 3, rounded 4", and what was already there.
        public var counts: String {
            var line = "users \(outcome.usersImported), funnels \(outcome.funnelsImported), "
                + "spendings \(outcome.spendingsImported), skipped \(skipped.count), rounded \(rounded.count)"
            let already = outcome.usersAlreadyThere + outcome.funnelsAlreadyThere + outcome.spendingsAlreadyThere
            if already > 0 {
                line += " (already there from an earlier import: users \(outcome.usersAlreadyThere), "
                    + "funnels \(outcome.funnelsAlreadyThere), spendings \(outcome.spendingsAlreadyThere))"
            }
            return line
        }
    }

    /// Imports the database at `oldDatabase` into the one `settings` names. The data folder's
    /// lock is taken first, so that it never writes under a running server.
    public static func run(oldDatabase: String, settings: AppSettings, dryRun: Bool = false, now: Date = Date()) throws -> Report {
        try DataFolder.prepare(settings.dataDir)
        let lock = try DataFolder.lock(settings.dataDir)
        defer { withExtendedLifetime(lock) {} }
        let rows = try OldAppRows.read(path: oldDatabase)
        let keys = try KeyMaterial.load(settings: settings)
        let database = try StrackerDatabase(path: settings.databasePath)
        defer { try? database.close() }
        return try run(rows, into: database, secrets: SecretBox(key: keys.encryptionKey), settings: settings, dryRun: dryRun, now: now)
    }

    static func run(
        _ rows: OldAppRows, into database: StrackerDatabase, secrets: SecretBox, settings: AppSettings,
        dryRun: Bool, now: Date
    ) throws -> Report {
        let milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let households = OldAppImportPlan.Households(
            currency: settings.currency, periodStartDay: oldPeriodStartDay, timeZone: settings.timeZone)
        let conversion = OldAppConversion(
            households: households, exponent: Currency(code: settings.currency)?.exponent ?? 2, now: milliseconds)
        let (plan, notes) = conversion.convert(rows)
        let outcome = try database.importOldApp(
            plan, now: milliseconds, dryRun: dryRun,
            seal: { secret, userId in try secrets.seal(secret, userId: userId) },
            secretOf: { user in try? secrets.open(user.otpSecretSealed, userId: user.id) })
        return Report(
            outcome: outcome, rounded: notes.rounded, adjusted: notes.adjusted, skipped: notes.skipped + outcome.skipped,
            alembicVersion: rows.alembicVersion, dryRun: dryRun)
    }
}
