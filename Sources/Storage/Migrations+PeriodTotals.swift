extension StrackerDatabase {
    /// Migration v5. `funnel_period_total` holds, for each funnel and each stored period of its
    /// household (`budget_period`, see `StoredPeriods`), the sum and number of its spendings in
    /// that period. Triggers keep it true in the very statement that changes a spending, a
    /// period or a funnel's household, whoever runs it (the server, `stracker import`, a
    /// sqlite3 shell), so no write path can forget it:
    /// - a spending added, removed, or changed in funnel, instant or amount moves its amount
    ///   into or out of the period containing its instant (none outside the stored window);
    /// - a period added is summed from the spendings (the covering funnel index), a period
    ///   removed takes its sums with it; periods are never updated, and never overlap, so an
    ///   instant is in at most one of them;
    /// - a funnel that changes household is summed again in the new household's periods.
    /// Rows whose count falls to 0 stay (cheaper than deleting them) and are read as absent.
    static let periodTotalsSchema = """
        CREATE TABLE budget_period (
            household_id TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL CHECK (end_ms > start_ms),
            PRIMARY KEY (household_id, start_ms)
        ) WITHOUT ROWID;
        CREATE TABLE funnel_period_total (
            funnel_id TEXT NOT NULL REFERENCES funnel(id) ON DELETE CASCADE,
            start_ms INTEGER NOT NULL,
            amount_minor INTEGER NOT NULL,
            spending_count INTEGER NOT NULL,
            PRIMARY KEY (funnel_id, start_ms)
        ) WITHOUT ROWID;

        CREATE TRIGGER budget_period_disjoint BEFORE INSERT ON budget_period
        WHEN (SELECT end_ms FROM budget_period WHERE household_id = NEW.household_id AND start_ms < NEW.end_ms
              ORDER BY start_ms DESC LIMIT 1) > NEW.start_ms
        BEGIN SELECT RAISE(ABORT, 'budget periods of a household cannot overlap'); END;
        CREATE TRIGGER budget_period_fixed BEFORE UPDATE ON budget_period
        BEGIN SELECT RAISE(ABORT, 'budget periods are replaced, not updated'); END;
        CREATE TRIGGER budget_period_added AFTER INSERT ON budget_period BEGIN
            INSERT INTO funnel_period_total (funnel_id, start_ms, amount_minor, spending_count)
            SELECT spending.funnel_id, NEW.start_ms, SUM(spending.amount_minor), COUNT(*)
            FROM funnel JOIN spending ON spending.funnel_id = funnel.id
            WHERE funnel.household_id = NEW.household_id
                AND spending.timestamp >= NEW.start_ms AND spending.timestamp < NEW.end_ms
            GROUP BY spending.funnel_id
            ON CONFLICT (funnel_id, start_ms) DO UPDATE
                SET amount_minor = excluded.amount_minor, spending_count = excluded.spending_count;
        END;
        CREATE TRIGGER budget_period_removed AFTER DELETE ON budget_period BEGIN
            DELETE FROM funnel_period_total WHERE start_ms = OLD.start_ms
                AND funnel_id IN (SELECT id FROM funnel WHERE household_id = OLD.household_id);
        END;

        CREATE TRIGGER spending_counted AFTER INSERT ON spending BEGIN
        \(countIn("NEW"))
        END;
        CREATE TRIGGER spending_uncounted AFTER DELETE ON spending BEGIN
        \(countOut("OLD"))
        END;
        CREATE TRIGGER spending_recounted AFTER UPDATE OF funnel_id, timestamp, amount_minor ON spending BEGIN
        \(countOut("OLD"))
        \(countIn("NEW"))
        END;

        CREATE TRIGGER funnel_moved AFTER UPDATE OF household_id ON funnel BEGIN
            DELETE FROM funnel_period_total WHERE funnel_id = NEW.id;
            INSERT INTO funnel_period_total (funnel_id, start_ms, amount_minor, spending_count)
            SELECT NEW.id, budget_period.start_ms, SUM(spending.amount_minor), COUNT(*)
            FROM budget_period JOIN spending ON spending.funnel_id = NEW.id
                AND spending.timestamp >= budget_period.start_ms AND spending.timestamp < budget_period.end_ms
            WHERE budget_period.household_id = NEW.household_id
            GROUP BY budget_period.start_ms;
        END;
        """

    /// The stored period of the household of `row`'s funnel that contains `row`'s instant, as a
    /// one-row subquery (none outside the stored window). `row` is NEW or OLD.
    static func storedPeriod(of row: String) -> String {
        """
        SELECT start_ms FROM (
                SELECT start_ms, end_ms FROM budget_period
                WHERE household_id = (SELECT household_id FROM funnel WHERE id = \(row).funnel_id)
                    AND start_ms <= \(row).timestamp
                ORDER BY start_ms DESC LIMIT 1)
            WHERE end_ms > \(row).timestamp
        """
    }

    /// Adds the spending `row` to its funnel's sum in its period.
    private static func countIn(_ row: String) -> String {
        """
        INSERT INTO funnel_period_total (funnel_id, start_ms, amount_minor, spending_count)
            SELECT \(row).funnel_id, start_ms, \(row).amount_minor, 1 FROM (\(storedPeriod(of: row))) WHERE true
            ON CONFLICT (funnel_id, start_ms) DO UPDATE
                SET amount_minor = amount_minor + excluded.amount_minor, spending_count = spending_count + 1;
        """
    }

    /// Takes the spending `row` out of its funnel's sum in its period.
    private static func countOut(_ row: String) -> String {
        """
        UPDATE funnel_period_total
            SET amount_minor = amount_minor - \(row).amount_minor, spending_count = spending_count - 1
            WHERE funnel_id = \(row).funnel_id AND start_ms = (\(storedPeriod(of: row)));
        """
    }
}
