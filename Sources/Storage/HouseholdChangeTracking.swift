import GRDB
import Synchronization

/// Advances `HouseholdVersions` and feeds `HouseholdChangeFeed` from the database itself, so
/// that no write can forget to.
///
/// Temporary triggers on the writer connection describe every row inserted, updated or deleted
/// in the tables a member view reads (funnels, spendings, users, households): its household,
/// the kind of change and who may see it, through a SQL function that collects them; after the
/// transaction commits, a GRDB `TransactionObserver` advances each collected household's
/// version and publishes the changes (and forgets them on rollback). Triggers see rows removed by foreign-key cascades too, which an update hook's
/// row ids would not tell us the household of.
enum HouseholdChangeTracking {
    static let functionName = "stracker_household_changed"

    /// A trigger's view of a row: which household, what happened, and who may see it. `row` is
    /// NEW or OLD.
    struct Table: Sendable {
        let name: String
        /// The columns whose update changes a view (nil: any). A sign-in's used-code mark changes none.
        let viewed: [String]?
        /// (kind on insert, on update, on delete)
        let kinds: (HouseholdChange.Kind, HouseholdChange.Kind, HouseholdChange.Kind)
        /// SQL for the function's arguments after the kind: household, id, funnel id, audience.
        let arguments: @Sendable (_ row: String) -> String
    }

    /// The tables a member view reads. A spending's audience is its funnel's owner while the
    /// funnel is personal (its spender when the funnel is already gone, in a cascade).
    static let tables: [Table] = [
        Table(name: "household", viewed: nil, kinds: (.householdChanged, .householdChanged, .householdChanged)) { row in
            "\(row).id, \(row).id, NULL, NULL"
        },
        Table(name: "user", viewed: ["username", "household_id", "role"], kinds: (.membersChanged, .membersChanged, .membersChanged)) { row in
            "\(row).household_id, \(row).id, NULL, NULL"
        },
        Table(name: "funnel", viewed: nil, kinds: (.funnelCreated, .funnelChanged, .funnelDeleted)) { row in
            "\(row).household_id, \(row).id, \(row).id, CASE WHEN \(row).shared THEN NULL ELSE \(row).owner_id END"
        },
        Table(name: "spending", viewed: nil, kinds: (.spendingCreated, .spendingChanged, .spendingDeleted)) { row in
            "\(row).household_id, \(row).id, \(row).funnel_id, \(spendingAudience(funnel: "\(row).funnel_id", spender: "\(row).user_id"))"
        },
        // A receipt added, replaced or removed changes its spending (in a cascade the spending
        // is already gone: no household, nothing to tell, its own deletion said it).
        Table(name: "receipt", viewed: nil, kinds: (.spendingChanged, .spendingChanged, .spendingChanged)) { row in
            let spending = "(SELECT %@ FROM main.spending WHERE id = \(row).spending_id)"
            let funnel = spending.replacingOccurrences(of: "%@", with: "funnel_id")
            return """
                \(spending.replacingOccurrences(of: "%@", with: "household_id")), \(row).spending_id, \(funnel),
                \(spendingAudience(funnel: funnel, spender: spending.replacingOccurrences(of: "%@", with: "user_id")))
                """
        },
    ]

    /// Who may see a spending: nobody but its funnel's owner while the funnel is personal, its
    /// spender when the funnel is already gone (a cascade), every member (NULL) otherwise.
    static func spendingAudience(funnel: String, spender: String) -> String {
        """
        CASE WHEN (SELECT shared FROM main.funnel WHERE id = \(funnel)) THEN NULL
             ELSE COALESCE((SELECT owner_id FROM main.funnel WHERE id = \(funnel)), \(spender)) END
        """
    }

    /// Installs the function, the triggers and the observer on the connection `db` (the writer).
    /// The observer is returned for `GroupCommit`, whose savepoints it must follow.
    @discardableResult
    static func install(in db: Database, versions: HouseholdVersions, feed: HouseholdChangeFeed) throws -> Observer {
        let observer = Observer(versions: versions, feed: feed)
        db.add(function: DatabaseFunction(functionName, argumentCount: 5, pure: false) { values in
            // (kind, household, id, funnel id, audience)
            if let kind = String.fromDatabaseValue(values[0]).flatMap(HouseholdChange.Kind.init(rawValue:)),
                let householdId = String.fromDatabaseValue(values[1])
            {
                observer.changed(HouseholdChange(
                    householdId: householdId, kind: kind, id: String.fromDatabaseValue(values[2]),
                    funnelId: String.fromDatabaseValue(values[3]), audience: String.fromDatabaseValue(values[4])))
            }
            return nil
        })
        for table in tables {
            let update = "UPDATE" + (table.viewed.map { " OF " + $0.joined(separator: ", ") } ?? "")
            let events = [("insert", "INSERT", ["NEW"], table.kinds.0), ("update", update, ["OLD", "NEW"], table.kinds.1), ("delete", "DELETE", ["OLD"], table.kinds.2)]
            for (label, event, rows, kind) in events {
                let calls = rows.map { "\(functionName)('\(kind.rawValue)', \(table.arguments($0)))" }
                try db.execute(sql: """
                    CREATE TEMP TRIGGER IF NOT EXISTS \(table.name)_\(label)_changes_household
                    AFTER \(event) ON main."\(table.name)" BEGIN SELECT \(calls.joined(separator: ", ")); END
                    """)
            }
        }
        db.add(transactionObserver: observer, extent: .databaseLifetime)
        return observer
    }

    final class Observer: TransactionObserver, Sendable {
        /// Past this many changes to one household in one transaction (an import), its members
        /// are told "many changes" once instead.
        static let detailLimit = 64

        struct Pending {
            var households: Set<String> = []
            /// Per household, its changes in order, each once.
            var changes: [String: [HouseholdChange]] = [:]
            var seen: Set<HouseholdChange> = []
            /// Households over the limit, with the audiences their changes had.
            var many: [String: Set<String?>] = [:]
        }

        let versions: HouseholdVersions
        let feed: HouseholdChangeFeed
        /// Touched only on the writer's queue; the lock makes that provable to the compiler.
        private let pending = Mutex(Pending())

        init(versions: HouseholdVersions, feed: HouseholdChangeFeed) {
            self.versions = versions
            self.feed = feed
        }

        /// What is collected so far in this transaction, for `restore` when a savepoint rolls back:
        /// SQLite undoes the rows, and the changes its triggers told must go with them.
        func checkpoint() -> Pending {
            pending.withLock { $0 }
        }

        func restore(_ checkpoint: Pending) {
            pending.withLock { $0 = checkpoint }
        }

        func changed(_ change: HouseholdChange) {
            pending.withLock { pending in
                let household = change.householdId
                pending.households.insert(household)
                if pending.many[household] != nil {
                    pending.many[household]?.insert(change.audience)
                } else if pending.seen.insert(change).inserted {
                    pending.changes[household, default: []].append(change)
                    if let changes = pending.changes[household], changes.count > Self.detailLimit {
                        pending.many[household] = Set(changes.map(\.audience))
                        pending.changes[household] = nil
                    }
                }
            }
        }

        /// The triggers name the households; row events would only cost an update hook per row.
        /// GRDB tells every observer of commits and rollbacks, whatever it observes.
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

        func databaseDidChange(with event: DatabaseEvent) {}

        func databaseDidCommit(_ db: Database) {
            let committed = pending.withLock { pending in
                defer { pending = Pending() }
                return pending
            }
            guard !committed.households.isEmpty else { return }
            versions.advance(committed.households)
            var changes = committed.changes.values.flatMap { $0 }
            for (household, audiences) in committed.many {
                // Personal audiences stay personal: a member is not told of another's import.
                for audience in audiences.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
                    changes.append(HouseholdChange(householdId: household, kind: .many, id: nil, funnelId: nil, audience: audience))
                }
            }
            feed.publish(changes)
        }

        func databaseDidRollback(_ db: Database) {
            pending.withLock { $0 = Pending() }
        }
    }
}
