extension StrackerDatabase {
    /// Migration v8. `member_period_total` splits `funnel_period_total` by who recorded: for each
    /// funnel, stored period and member, the sum and number of their spendings. The history shows
    /// a shared funnel's period per member from it, a few rows per funnel, however many spendings.
    /// Kept by triggers exactly as v5's table (see `periodTotalsSchema`), and also when a
    /// spending changes author (no route does, a sqlite3 shell may). `user_id` has no foreign key:
    /// the spendings it counts hold theirs, and their triggers take the rows away with them.
    static let memberTotalsSchema = """
        CREATE TABLE member_period_total (
            funnel_id TEXT NOT NULL REFERENCES funnel(id) ON DELETE CASCADE,
            start_ms INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            spending_count INTEGER NOT NULL,
            PRIMARY KEY (funnel_id, start_ms, user_id)
        ) WITHOUT ROWID;

        CREATE TRIGGER budget_period_added_by_member AFTER INSERT ON budget_period BEGIN
            INSERT INTO member_period_total (funnel_id, start_ms, user_id, amount_minor, spending_count)
            SELECT spending.funnel_id, NEW.start_ms, spending.user_id, SUM(spending.amount_minor), COUNT(*)
            FROM funnel JOIN spending ON spending.funnel_id = funnel.id
            WHERE funnel.household_id = NEW.household_id
                AND spending.timestamp >= NEW.start_ms AND spending.timestamp < NEW.end_ms
            GROUP BY spending.funnel_id, spending.user_id
            ON CONFLICT (funnel_id, start_ms, user_id) DO UPDATE
                SET amount_minor = excluded.amount_minor, spending_count = excluded.spending_count;
        END;
        CREATE TRIGGER budget_period_removed_by_member AFTER DELETE ON budget_period BEGIN
            DELETE FROM member_period_total WHERE start_ms = OLD.start_ms
                AND funnel_id IN (SELECT id FROM funnel WHERE household_id = OLD.household_id);
        END;

        CREATE TRIGGER spending_counted_by_member AFTER INSERT ON spending BEGIN
        \(memberCountIn("NEW"))
        END;
        CREATE TRIGGER spending_uncounted_by_member AFTER DELETE ON spending BEGIN
        \(memberCountOut("OLD"))
        END;
        CREATE TRIGGER spending_recounted_by_member AFTER UPDATE OF funnel_id, timestamp, amount_minor, user_id ON spending BEGIN
        \(memberCountOut("OLD"))
        \(memberCountIn("NEW"))
        END;

        CREATE TRIGGER funnel_moved_by_member AFTER UPDATE OF household_id ON funnel BEGIN
            DELETE FROM member_period_total WHERE funnel_id = NEW.id;
            INSERT INTO member_period_total (funnel_id, start_ms, user_id, amount_minor, spending_count)
            SELECT NEW.id, budget_period.start_ms, spending.user_id, SUM(spending.amount_minor), COUNT(*)
            FROM budget_period JOIN spending ON spending.funnel_id = NEW.id
                AND spending.timestamp >= budget_period.start_ms AND spending.timestamp < budget_period.end_ms
            WHERE budget_period.household_id = NEW.household_id
            GROUP BY budget_period.start_ms, spending.user_id;
        END;
        """

    /// What the triggers would have written, for the spendings already there.
    static let memberTotalsBackfill = """
        INSERT INTO member_period_total (funnel_id, start_ms, user_id, amount_minor, spending_count)
        SELECT spending.funnel_id, budget_period.start_ms, spending.user_id, SUM(spending.amount_minor), COUNT(*)
        FROM budget_period JOIN funnel ON funnel.household_id = budget_period.household_id
        JOIN spending ON spending.funnel_id = funnel.id
            AND spending.timestamp >= budget_period.start_ms AND spending.timestamp < budget_period.end_ms
        GROUP BY spending.funnel_id, budget_period.start_ms, spending.user_id
        """

    /// Adds the spending `row` to its author's sum in its funnel and period.
    private static func memberCountIn(_ row: String) -> String {
        """
        INSERT INTO member_period_total (funnel_id, start_ms, user_id, amount_minor, spending_count)
            SELECT \(row).funnel_id, start_ms, \(row).user_id, \(row).amount_minor, 1 FROM (\(storedPeriod(of: row))) WHERE true
            ON CONFLICT (funnel_id, start_ms, user_id) DO UPDATE
                SET amount_minor = amount_minor + excluded.amount_minor, spending_count = spending_count + 1;
        """
    }

    /// Takes the spending `row` out of its author's sum in its funnel and period.
    private static func memberCountOut(_ row: String) -> String {
        """
        UPDATE member_period_total
            SET amount_minor = amount_minor - \(row).amount_minor, spending_count = spending_count - 1
            WHERE funnel_id = \(row).funnel_id AND start_ms = (\(storedPeriod(of: row))) AND user_id = \(row).user_id;
        """
    }
}
