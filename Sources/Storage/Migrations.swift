import Foundation
import GRDB

extension StrackerDatabase {
    /// Every schema change, registered once, in order. Never edit a shipped migration: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: households, users, sessions, funnels, spendings") { db in
            try db.create(table: "household") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("currency", .text).notNull()
                t.column("period_start_day", .integer).notNull()
                t.column("time_zone", .text).notNull()
                t.column("created_at", .integer).notNull()
            }
            try db.create(table: "user") { t in
                t.primaryKey("id", .text)
                t.column("username", .text).notNull()
                // Lowercased username: uniqueness and look-ups are case-insensitive for any script.
                t.column("username_key", .text).notNull().unique()
                t.column("otp_secret_sealed", .blob).notNull()
                t.column("last_otp_step", .integer)
                t.column("household_id", .text).notNull().indexed()
                    .references("household", onDelete: .restrict)
                t.column("role", .text).notNull()
                t.column("created_at", .integer).notNull()
            }
            try db.create(table: "device_session") { t in
                t.primaryKey("id", .text)
                t.column("user_id", .text).notNull().indexed().references("user", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("last_seen_at", .integer).notNull()
                // The one refresh token id this session may still present; rotation replaces it.
                t.column("refresh_token_id", .text).notNull()
                t.column("revoked_at", .integer)
            }
            // Per-user device blacklist: a row names a revoked session, or (session_id NULL)
            // a "not before" instant before which no token of the user is accepted.
            try db.create(table: "device_blacklist") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("user_id", .text).notNull().indexed().references("user", onDelete: .cascade)
                t.column("session_id", .text)
                t.column("not_before", .integer)
                t.column("created_at", .integer).notNull()
            }
            try db.create(table: "invite") { t in
                t.primaryKey("code", .text)
                t.column("household_id", .text).notNull().references("household", onDelete: .cascade)
                t.column("created_by", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                t.column("used_by", .text)
                t.column("used_at", .integer)
            }
            try db.create(table: "funnel") { t in
                t.primaryKey("id", .text)
                t.column("household_id", .text).notNull().indexed().references("household", onDelete: .cascade)
                t.column("owner_id", .text).notNull().references("user", onDelete: .cascade)
                t.column("shared", .boolean).notNull()
                t.column("name", .text).notNull()
                t.column("limit_minor", .integer).notNull()
                t.column("color", .text).notNull()
                t.column("emoji", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("created_at", .integer).notNull()
            }
            try db.create(table: "spending") { t in
                t.primaryKey("id", .text)
                t.column("funnel_id", .text).notNull().references("funnel", onDelete: .cascade)
                // Denormalized from the funnel so "recent in this household" is one index walk.
                t.column("household_id", .text).notNull().references("household", onDelete: .cascade)
                t.column("user_id", .text).notNull()
                t.column("amount_minor", .integer).notNull()
                t.column("timestamp", .integer).notNull()
                t.column("note", .text).notNull().defaults(to: "")
                t.column("created_at", .integer).notNull()
            }
            // A funnel's period total is a range scan of this index, never a table scan.
            try db.create(index: "spending_on_funnel_timestamp", on: "spending", columns: ["funnel_id", "timestamp", "amount_minor"])
            try db.create(index: "spending_on_household_timestamp", on: "spending", columns: ["household_id", "timestamp"])
        }
        migrator.registerMigration("v2: session epoch, advanced by every revocation from any process") { db in
            // A running server mirrors the live sessions in memory. Another process (the
            // `stracker user sign-out` command, a sqlite3 shell) can revoke one; these triggers,
            // part of the schema and so run by every connection, advance one counter that the
            // server reads whenever the file changed (LiveSessions).
            try db.execute(
                sql: """
                    CREATE TABLE session_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                    INSERT INTO session_epoch (id, value) VALUES (1, 0);
                    CREATE TRIGGER session_revoked AFTER UPDATE OF revoked_at, user_id ON device_session
                    BEGIN UPDATE session_epoch SET value = value + 1; END;
                    CREATE TRIGGER session_deleted AFTER DELETE ON device_session
                    BEGIN UPDATE session_epoch SET value = value + 1; END;
                    CREATE TRIGGER blacklist_added AFTER INSERT ON device_blacklist
                    BEGIN UPDATE session_epoch SET value = value + 1; END;
                    CREATE TRIGGER blacklist_changed AFTER UPDATE ON device_blacklist
                    BEGIN UPDATE session_epoch SET value = value + 1; END;
                    CREATE TRIGGER blacklist_deleted AFTER DELETE ON device_blacklist
                    BEGIN UPDATE session_epoch SET value = value + 1; END;
                    """)
        }
        migrator.registerMigration("v3: receipts of spendings, their files named by content hash") { db in
            // A receipt's bytes live in DATA_DIR/receipts/<sha256>; one file may serve several
            // spendings. When the last row naming a hash goes (a replaced receipt, a deleted
            // spending or funnel: the cascade fires these triggers too), the hash is listed in
            // receipt_orphan, and the file is removed by ReceiptStore.sweep in a later write.
            try db.execute(
                sql: """
                    CREATE TABLE receipt (
                        spending_id TEXT PRIMARY KEY NOT NULL REFERENCES spending(id) ON DELETE CASCADE,
                        hash TEXT NOT NULL,
                        content_type TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX receipt_on_hash ON receipt(hash);
                    CREATE TABLE receipt_orphan (hash TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
                    CREATE TRIGGER receipt_deleted AFTER DELETE ON receipt
                    WHEN NOT EXISTS (SELECT 1 FROM receipt WHERE hash = OLD.hash)
                    BEGIN INSERT OR IGNORE INTO receipt_orphan (hash) VALUES (OLD.hash); END;
                    CREATE TRIGGER receipt_replaced AFTER UPDATE OF hash ON receipt
                    WHEN NOT EXISTS (SELECT 1 FROM receipt WHERE hash = OLD.hash)
                    BEGIN INSERT OR IGNORE INTO receipt_orphan (hash) VALUES (OLD.hash); END;
                    CREATE TRIGGER receipt_added AFTER INSERT ON receipt
                    BEGIN DELETE FROM receipt_orphan WHERE hash = NEW.hash; END;
                    CREATE TRIGGER receipt_renamed AFTER UPDATE OF hash ON receipt
                    BEGIN DELETE FROM receipt_orphan WHERE hash = NEW.hash; END;
                    """)
        }
        migrator.registerMigration("v4: the household's spendings indexed in the order they are listed") { db in
            // Lists, "recent" and the export walk a household's spendings by (timestamp,
            // created_at, id). With only (household_id, timestamp) indexed, SQLite sorted every
            // page of 5 000 rows again in a temporary B-tree (half of the list's cost). This
            // index holds the whole order, and replaces the shorter one, whose every use it serves.
            try db.execute(
                sql: """
                    CREATE INDEX spending_in_household_order ON spending(household_id, timestamp, created_at, id);
                    DROP INDEX spending_on_household_timestamp;
                    """)
        }
        migrator.registerMigration("v5: every funnel's sum per stored budget period, kept by triggers") { db in
            try db.execute(sql: periodTotalsSchema)
            // Existing households get their window now (the insert triggers sum what they have spent).
            for household in try HouseholdRecord.fetchAll(db) {
                try StoredPeriods.replace(householdId: household.id, rule: household.periodRule, now: Date(), in: db)
            }
        }
        migrator.registerMigration("v6: the household's order index holds every column a list shows") { db in
            // The list of 5 000 rows looked up each row in the table after finding it in the
            // order index: a quarter of its cost. This index carries the columns too (every
            // column of the table), so the list, "recent" and the export read the index alone.
            // It replaces v4's, whose every use it serves: still one index to keep per write.
            try db.execute(
                sql: """
                    CREATE INDEX spending_listed_in_household_order
                    ON spending(household_id, timestamp, created_at, id, funnel_id, user_id, amount_minor, note);
                    DROP INDEX spending_in_household_order;
                    """)
        }
        migrator.registerMigration("v7: recovery codes and enrolment tickets, for a person who lost their authenticator") { db in
            // Only hashes are stored: a code or ticket read from a backup signs nobody in.
            try db.execute(
                sql: """
                    CREATE TABLE recovery_code (
                        user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        code_hash BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        used_at INTEGER,
                        PRIMARY KEY (user_id, code_hash)
                    ) WITHOUT ROWID;
                    CREATE TABLE enrolment_ticket (
                        ticket_hash BLOB PRIMARY KEY NOT NULL,
                        user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        created_by TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        used_at INTEGER
                    );
                    CREATE INDEX enrolment_ticket_of_user ON enrolment_ticket(user_id);
                    """)
        }
        migrator.registerMigration("v8: every member's sum per funnel and stored period, kept by triggers") { db in
            try db.execute(sql: memberTotalsSchema)
            try db.execute(sql: memberTotalsBackfill)
        }
        return migrator
    }
}
