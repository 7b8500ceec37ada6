import GRDB
import Synchronization

/// Advances `HouseholdVersions` from the database itself, so that no write can forget to.
///
/// Temporary triggers on the writer connection name the household of every row inserted,
/// updated or deleted in the tables a member view reads (funnels, spendings, users, households),
/// through a SQL function that collects the names; after the transaction commits, a GRDB
/// `TransactionObserver` advances each collected household's version (and forgets them on
/// rollback). Triggers see rows removed by foreign-key cascades too, which an update hook's
/// row ids would not tell us the household of.
enum HouseholdChangeTracking {
    static let functionName = "stracker_household_changed"

    /// The tables a member view reads, the column naming each row's household, and the columns
    /// whose update changes a view (nil: any). A sign-in's used-code mark changes no view.
    static let tables: [(table: String, household: String, viewed: [String]?)] = [
        ("household", "id", nil), ("user", "household_id", ["username", "household_id", "role"]),
        ("funnel", "household_id", nil), ("spending", "household_id", nil),
    ]

    /// Installs the function, the triggers and the observer on the connection `db` (the writer).
    static func install(in db: Database, versions: HouseholdVersions) throws {
        let observer = Observer(versions: versions)
        db.add(function: DatabaseFunction(functionName, argumentCount: 1, pure: false) { values in
            if let id = String.fromDatabaseValue(values[0]) { observer.changed(id) }
            return nil
        })
        for (table, column, viewed) in tables {
            let update = "UPDATE" + (viewed.map { " OF " + $0.joined(separator: ", ") } ?? "")
            for (event, rows) in [("INSERT", ["NEW"]), (update, ["OLD", "NEW"]), ("DELETE", ["OLD"])] {
                let calls = rows.map { "\(functionName)(\($0).\(column))" }.joined(separator: ", ")
                let name = "\(table)_\(rows == ["NEW"] ? "insert" : rows == ["OLD"] ? "delete" : "update")_changes_household"
                try db.execute(sql: """
                    CREATE TEMP TRIGGER IF NOT EXISTS \(name)
                    AFTER \(event) ON main."\(table)" BEGIN SELECT \(calls); END
                    """)
            }
        }
        db.add(transactionObserver: observer, extent: .databaseLifetime)
    }

    final class Observer: TransactionObserver, Sendable {
        let versions: HouseholdVersions
        /// Touched only on the writer's queue; the lock makes that provable to the compiler.
        private let pending = Mutex<Set<String>>([])

        init(versions: HouseholdVersions) {
            self.versions = versions
        }

        func changed(_ householdId: String) {
            _ = pending.withLock { $0.insert(householdId) }
        }

        /// The triggers name the households; row events would only cost an update hook per row.
        /// GRDB tells every observer of commits and rollbacks, whatever it observes.
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

        func databaseDidChange(with event: DatabaseEvent) {}

        func databaseDidCommit(_ db: Database) {
            let changed = pending.withLock { pending in
                defer { pending.removeAll() }
                return pending
            }
            if !changed.isEmpty { versions.advance(changed) }
        }

        func databaseDidRollback(_ db: Database) {
            pending.withLock { $0.removeAll() }
        }
    }
}
