import Foundation
import GRDB
import Storage
import TOTP
import Testing

@testable import App

/// A database of the older app, written with exactly its schema; `rows` is SQL run after it.
struct OldAppDatabaseFile {
    let path: String

    init(_ rows: String) throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("old-stracker-\(UUID().uuidString).sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
                    INSERT INTO alembic_version VALUES ('5d1b3c2a7e90');
                    CREATE TABLE users (username VARCHAR, otp_secret VARCHAR);
                    CREATE TABLE funnels (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR, "limit" REAL, color VARCHAR, emoji VARCHAR, user_name VARCHAR);
                    CREATE TABLE spendings (id INTEGER NOT NULL PRIMARY KEY, amount REAL, timestamp INTEGER, funnel_id INTEGER);
                    CREATE TABLE jwt_blacklist (username VARCHAR, iat_until INTEGER);
                    """ + rows)
        }
        try queue.close()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Secrets as the old app stored them: pyotp's Base32 text.
private let aliceSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
private let bobSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

private func bytes(_ base32: String) -> [UInt8] { Base32.decode(base32)! }

/// A plain family database: two users, three funnels, five spendings, three amounts that are
/// not whole cents.
private let familyRows = """
    INSERT INTO users VALUES ('alice', '\(aliceSecret)'), ('bob', '\(bobSecret)');
    INSERT INTO funnels VALUES (1, 'Food', 300.0, 'orange', '🍞', 'alice'), (2, 'Fun', 99.999, 'teal', '🍕🍔', 'alice'),
        (7, 'Car', 150, 'mediumturquoise', 'x', 'bob');
    INSERT INTO spendings VALUES (1, 12.34, 1758100000000, 1), (2, 2.675, 1758200000000, 1), (3, 40, 1758300000000, 2),
        (4, 1.005, 1758300000000, 7), (5, -3.5, 1758310000000, 7);
    INSERT INTO jwt_blacklist VALUES ('alice', 1700000000);
    """

@Suite struct OldAppImportTests {
    /// Runs the import into the test's data folder before the service starts.
    private func importing(_ file: OldAppDatabaseFile, into settings: AppSettings, clock: TestClock, dryRun: Bool = false) throws -> OldAppImporter.Report {
        try OldAppImporter.run(oldDatabase: file.path, settings: settings, dryRun: dryRun, now: clock.now)
    }

    @Test func aFamilyDatabaseImportsAndItsUsersSignInWithTheirSecrets() async throws {
        let file = try OldAppDatabaseFile(familyRows)
        defer { file.remove() }
        let clock = TestClock()
        nonisolated(unsafe) var report: OldAppImporter.Report?
        try await withApp(clock: clock, configure: { $0.currency = "EUR"; $0.timeZone = "Europe/Berlin" }, beforeStart: { settings in
            report = try importing(file, into: settings, clock: clock)
        }) { api in
            let report = try #require(report)
            #expect(report.counts == "users 2, funnels 3, spendings 5, skipped 0, rounded 3")
            #expect(report.rounded == [
                "funnel 2: limit 99.999 rounded to 100.00",
                "spending 2: amount 2.675 rounded to 2.68",
                "spending 4: amount 1.005 rounded to 1.00",
            ])
            #expect(report.adjusted.isEmpty && report.skipped.isEmpty)
            #expect(report.alembicVersion == "5d1b3c2a7e90")

            // The authenticator entry the old app made still signs in.
            let alice = Account(username: "alice", secret: bytes(aliceSecret), tokens: Tokens(access: "", refresh: ""))
            let aliceToken = try await api.login(alice).access
            let funnels = try await api.funnels(aliceToken)
            #expect(funnels.map(\.id) == ["1", "2"])
            #expect(funnels.map(\.name) == ["Food", "Fun"])
            #expect(funnels.map(\.limit) == [dec("300"), dec("100")])
            #expect(funnels.map(\.color) == ["#ffa500", "#008080"])
            #expect(funnels.map(\.emoji) == ["🍞", "🍕🍔"])
            #expect(funnels.allSatisfy { !$0.shared && $0.owner == "alice" })

            let all = "timestamp_from=-1&timestamp_to=253402300800000"
            let spendings = try await api.spendings(aliceToken, query: all)
            #expect(spendings.map(\.id) == ["3", "2", "1"])
            #expect(spendings.map(\.amount) == [dec("40"), dec("2.68"), dec("12.34")])
            #expect(spendings.allSatisfy { $0.user == "alice" && $0.note.isEmpty })

            let household = try await api.household(aliceToken)
            #expect(household.periodStartDay == 15)
            #expect(household.timeZone == "Europe/Berlin")
            #expect(household.currency == "EUR")
            #expect(household.members.map(\.username) == ["alice"] && household.role == "owner")

            // Bob has a household of his own, and sees nothing of Alice's.
            let bob = Account(username: "bob", secret: bytes(bobSecret), tokens: Tokens(access: "", refresh: ""))
            let bobToken = try await api.login(bob).access
            #expect(try await api.funnels(bobToken).map(\.id) == ["7"])
            #expect(try await api.spendings(bobToken, query: all).map(\.amount) == [dec("-3.5"), dec("1")])
            #expect(try await api.get("/funnel/1", token: bobToken).status == .notFound)
            #expect(try await api.get("/spending/?funnel_id=1&\(all)", token: bobToken).status == .notFound)
            #expect(try await api.household(bobToken).id != household.id)

            // A kept id works wherever a funnel id goes: new spendings, filters, reordering.
            let created = try await api.createSpending(bobToken, funnel: "7", amount: "5")
            #expect(try await api.spendings(bobToken, query: "funnel_id=7&\(all)").map(\.id).contains(created))
            #expect(try await api.put("/funnel/order", token: aliceToken, json: ["ids": ["2", "1"]]).status == .noContent)
            #expect(try await api.funnels(aliceToken).map(\.id) == ["2", "1"])
        }
    }

    @Test func oddRowsAreImportedWithAChangeOrReported() async throws {
        let file = try OldAppDatabaseFile("""
            INSERT INTO users VALUES ('Alice', '\(aliceSecret)'), ('alice', '\(bobSecret)'), (NULL, '\(bobSecret)'),
                ('eve', 'not base32!'), ('carol', NULL), ('Alice', '\(bobSecret)');
            INSERT INTO funnels VALUES
                (1, NULL, NULL, 'blurple', '🍕🍔🍟🌭🥪🌮🌯🥙🧆', 'Alice'),
                (2, '  Groceries  ', -5, NULL, NULL, 'alice'),
                (3, '\(String(repeating: "n", count: 70))', 'lots', '#ABC', 'a' || char(10) || 'b', 'Alice'),
                (4, 'Eve''s', 10, 'red', 'e', 'eve'),
                (5, 'Nobody''s', 10, 'red', 'n', 'mallory');
            INSERT INTO spendings VALUES
                (1, 5, 1758000000000, 1), (2, 7, 1758000000000, 99), (3, NULL, 1758000000000, 1), (4, 0, 1758000000000, 1),
                (5, 3, NULL, 1), (6, 'twelve', 1758000000000, 1), (7, 0.001, 1758000000000, 2), (8, 1e20, 1758000000000, 2),
                (9, 2.5, 1758000000000.0, 3), (10, 4, 1758000000000, 4), (11, 1, -5, 2), (12, 6, 1758000000000, NULL);
            """)
        defer { file.remove() }
        let clock = TestClock()
        nonisolated(unsafe) var report: OldAppImporter.Report?
        try await withApp(clock: clock, beforeStart: { settings in report = try importing(file, into: settings, clock: clock) }) { api in
            let report = try #require(report)
            #expect(report.counts == "users 2, funnels 3, spendings 2, skipped 16, rounded 1")
            #expect(report.rounded == ["spending 7: amount 0.001 rounded to 0.00"])
            #expect(report.adjusted == [
                #"user alice: imported as "alice-2", because "Alice" differs only in case; they sign in with that name"#,
                #"funnel 1: no name; imported as "Funnel 1""#,
                "funnel 1: no limit; imported with a limit of 0",
                #"funnel 1: the color "blurple" is not a CSS color; imported as #ffa500"#,
                #"funnel 1: the emoji "🍕🍔🍟🌭🥪🌮🌯🥙🧆" is longer than 8 characters or has control characters; imported as "🍕🍔🍟🌭🥪🌮🌯🥙""#,
                #"funnel 2: the name "  Groceries  " had spaces around it or control characters; imported as "Groceries""#,
                "funnel 2: the limit -5.0 is negative; imported with a limit of 0",
                "funnel 2: the color NULL is not a CSS color; imported as #48d1cc",
                #"funnel 2: no emoji; shown as "G""#,
                #"funnel 3: the name is longer than 64 characters; cut to ""# + String(repeating: "n", count: 64) + #"""#,
                #"funnel 3: the limit "lots" is not a number; imported with a limit of 0"#,
                #"funnel 3: the emoji "a"# + "\n" + #"b" is longer than 8 characters or has control characters; imported as "ab""#,
            ])
            #expect(report.skipped == [
                #"user row 3: the username NULL is empty, longer than 64 characters or has control characters; this user and their funnels are left out"#,
                "user eve: the OTP secret is missing or not Base32, so nobody could sign in; this user and their funnels are left out",
                "user carol: the OTP secret is missing or not Base32, so nobody could sign in; this user and their funnels are left out",
                #"user row 6: "Alice" appears twice; the first one is imported"#,
                #"funnel 4: its user "eve" is not imported"#,
                #"funnel 5: its user "mallory" is not imported"#,
                #"spending 2: its funnel "99" is gone or not imported"#,
                "spending 3: no amount",
                "spending 4: the amount is 0",
                "spending 5: the timestamp NULL is not a millisecond instant from 1970 to 9999",
                #"spending 6: the amount "twelve" is not a number"#,
                "spending 7: the amount is 0",
                #"spending 8: the amount "1e+20" is too large"#,
                #"spending 10: its funnel "4" is gone or not imported"#,
                #"spending 11: the timestamp "-5" is not a millisecond instant from 1970 to 9999"#,
                "spending 12: its funnel NULL is gone or not imported",
            ])

            let renamed = Account(username: "alice-2", secret: bytes(bobSecret), tokens: Tokens(access: "", refresh: ""))
            let token = try await api.login(renamed).access
            let funnels = try await api.funnels(token)
            #expect(funnels.map(\.name) == ["Groceries"])
            #expect(funnels.map(\.emoji) == ["G"])
            let first = Account(username: "Alice", secret: bytes(aliceSecret), tokens: Tokens(access: "", refresh: ""))
            let firstToken = try await api.login(first).access
            #expect(try await api.funnels(firstToken).map(\.emoji) == ["🍕🍔🍟🌭🥪🌮🌯🥙", "ab"])
            #expect(try await api.spendings(firstToken, query: "timestamp_from=-1&timestamp_to=253402300800000").map(\.amount).sorted()
                == [dec("2.5"), dec("5")])
        }
    }

    @Test func runningItTwiceImportsNothingNew() async throws {
        let file = try OldAppDatabaseFile(familyRows)
        defer { file.remove() }
        let clock = TestClock()
        nonisolated(unsafe) var reports: [OldAppImporter.Report] = []
        try await withApp(clock: clock, beforeStart: { settings in
            reports.append(try importing(file, into: settings, clock: clock))
            reports.append(try importing(file, into: settings, clock: clock))
        }) { api in
            #expect(reports.count == 2)
            #expect(reports[1].outcome.usersImported == 0 && reports[1].outcome.funnelsImported == 0 && reports[1].outcome.spendingsImported == 0)
            #expect(reports[1].counts
                == "users 0, funnels 0, spendings 0, skipped 0, rounded 3 (already there from an earlier import: users 2, funnels 3, spendings 5)")
            let counts = try await api.stores.database.pool.read { db in
                [try UserRecord.fetchCount(db), try HouseholdRecord.fetchCount(db), try FunnelRecord.fetchCount(db), try SpendingRecord.fetchCount(db)]
            }
            #expect(counts == [2, 2, 3, 5])
        }
    }

    @Test func aDryRunWritesNothing() async throws {
        let file = try OldAppDatabaseFile(familyRows)
        defer { file.remove() }
        let clock = TestClock()
        nonisolated(unsafe) var report: OldAppImporter.Report?
        try await withApp(clock: clock, beforeStart: { settings in report = try importing(file, into: settings, clock: clock, dryRun: true) }) { api in
            #expect(report?.counts == "users 2, funnels 3, spendings 5, skipped 0, rounded 3")
            let users = try await api.stores.database.pool.read { db in try UserRecord.fetchCount(db) }
            #expect(users == 0)
        }
    }

    @Test func aFailureHalfWayLeavesTheDatabaseAsItWas() async throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try StrackerDatabase(path: (folder as NSString).appendingPathComponent("stracker.sqlite"))
        defer { try? database.close() }
        let rows = try OldAppRows.read(path: try OldAppDatabaseFile(familyRows).path)
        let (plan, _) = OldAppConversion(
            households: .init(currency: "EUR", periodStartDay: 15, timeZone: "UTC"), exponent: 2, now: 1_758_362_400_000
        ).convert(rows)
        // The first user goes in, then sealing the second fails: nothing of the first may stay.
        struct SealFailure: Error {}
        #expect(throws: SealFailure.self) {
            try database.importOldApp(plan, now: 1_758_362_400_000, seal: { secret, _ in
                guard secret == bytes(aliceSecret) else { throw SealFailure() }
                return Data(secret)
            }, secretOf: { _ in nil })
        }
        let counts = try await database.pool.read { db in
            [try UserRecord.fetchCount(db), try HouseholdRecord.fetchCount(db), try FunnelRecord.fetchCount(db), try SpendingRecord.fetchCount(db)]
        }
        #expect(counts == [0, 0, 0, 0])
    }

    @Test func aNameTakenByAnotherAccountKeepsThatAccountAndLeavesTheOldUserOut() async throws {
        let file = try OldAppDatabaseFile(familyRows)
        defer { file.remove() }
        let clock = TestClock()
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = AppSettings()
        settings.dataDir = folder
        settings.timeZone = "UTC"
        // Someone registered "ALICE" here, with another secret, before the import.
        try await withApp(clock: clock, configure: { $0.dataDir = folder }) { api in
            _ = try await api.register("ALICE")
        }
        // withApp removes its own folder only when it made it: this one is ours.
        let report = try importing(file, into: settings, clock: clock)
        #expect(report.counts == "users 1, funnels 1, spendings 2, skipped 6, rounded 3")
        #expect(report.skipped == [
            "user alice: an account of that name with another secret is already here; this user and their funnels and spendings are left out",
            "funnel 1: its owner alice was not imported",
            "funnel 2: its owner alice was not imported",
            "spending 1: its funnel 1 was not imported",
            "spending 2: its funnel 1 was not imported",
            "spending 3: its funnel 2 was not imported",
        ])
    }

    @Test func whatIsNotTheOldAppsDatabaseIsRefusedAndCreatesNothing() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = AppSettings()
        settings.dataDir = folder
        let garbage = (NSTemporaryDirectory() as NSString).appendingPathComponent("garbage-\(UUID().uuidString).sqlite")
        try Data("not a database at all, but long enough to look like a header of one".utf8).write(to: URL(fileURLWithPath: garbage))
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        let ours = (NSTemporaryDirectory() as NSString).appendingPathComponent("ours-\(UUID().uuidString).sqlite")
        _ = try StrackerDatabase(path: ours)
        defer { try? FileManager.default.removeItem(atPath: ours) }

        #expect(throws: OldAppRows.ReadError.unreadable("no readable file at /nonexistent.sqlite")) {
            try OldAppImporter.run(oldDatabase: "/nonexistent.sqlite", settings: settings)
        }
        #expect(throws: OldAppRows.ReadError.unreadable("file is not a database")) {
            try OldAppImporter.run(oldDatabase: garbage, settings: settings)
        }
        #expect(throws: OldAppRows.ReadError.notTheOldApp("it has no table funnels")) {
            try OldAppImporter.run(oldDatabase: ours, settings: settings)
        }
        #expect(!FileManager.default.fileExists(atPath: settings.databasePath))
    }

    @Test func aRunningServiceKeepsTheImportOut() throws {
        let file = try OldAppDatabaseFile(familyRows)
        defer { file.remove() }
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = AppSettings()
        settings.dataDir = folder
        try DataFolder.prepare(folder)
        // What `stracker serve` holds while it runs.
        let serving = try DataFolder.lock(folder)
        #expect(throws: DataFolderError.inUse(path: folder)) {
            try OldAppImporter.run(oldDatabase: file.path, settings: settings)
        }
        withExtendedLifetime(serving) {}
    }
}

@Suite struct OldAppConversionTests {
    private let euros = OldAppConversion(households: .init(currency: "EUR", periodStartDay: 15, timeZone: "UTC"), exponent: 2, now: 0)
    private let yen = OldAppConversion(households: .init(currency: "JPY", periodStartDay: 15, timeZone: "UTC"), exponent: 0, now: 0)

    @Test(arguments: [
        ("12.34", OldAppConversion.Amount.exact(1234)), ("12.0", .exact(1200)), ("12", .exact(1200)), ("-3.5", .exact(-350)),
        ("2.675", .rounded(268, "2.68")), ("2.665", .rounded(266, "2.66")), ("2.685", .rounded(268, "2.68")),
        ("-1.005", .rounded(-100, "-1.00")), ("-1.015", .rounded(-102, "-1.02")), ("1e-05", .rounded(0, "0.00")),
        ("0.125", .rounded(12, "0.12")), ("0.135", .rounded(14, "0.14")), ("1e+20", .unusable("is too large")),
        ("99999999999.995", .rounded(10_000_000_000_000, "100000000000.00")),
        ("twelve", .unusable("is not a number")), ("inf", .unusable("is not a number")), ("nan", .unusable("is not a number")),
        ("12abc", .unusable("is not a number")), ("", .unusable("is not a number")),
    ])
    func amountsRoundHalfToEvenCents(text: String, expected: OldAppConversion.Amount) {
        #expect(euros.money(text) == expected)
    }

    @Test func amountsRoundToTheCurrencysOwnUnits() {
        #expect(yen.money("12.5") == .rounded(12, "12"))
        #expect(yen.money("13.5") == .rounded(14, "14"))
        #expect(yen.money("1500") == .exact(1500))
    }

    @Test func idsAreKeptWhereOurRoutesCanTakeThem() {
        #expect(OldAppConversion.keptId("17") == "17")
        #expect(OldAppConversion.keptId(" 17 ") == "17")
        #expect(OldAppConversion.keptId("6F9619FF-8B86-D011-B42D-00C04FC964FF") == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
        #expect(OldAppConversion.keptId("Food_1") == "food_1")
        #expect(OldAppConversion.keptId("a b") == nil)
        #expect(OldAppConversion.keptId("17/../18") == nil)
        #expect(OldAppConversion.keptId(String(repeating: "1", count: 65)) == nil)
        #expect(OldAppConversion.keptId("") == nil)
    }

    @Test func aRenamedUserTakesTheFirstFreeNameWithinSixtyFourCharacters() {
        #expect(OldAppConversion.freeName(for: "alice", avoiding: ["alice", "alice-2"]) == "alice-3")
        let long = String(repeating: "a", count: 64)
        #expect(OldAppConversion.freeName(for: long, avoiding: [long]) == String(repeating: "a", count: 62) + "-2")
    }

    @Test func millisecondsAreWholeAndInRange() {
        #expect(OldAppConversion.milliseconds("1758000000000") == 1_758_000_000_000)
        #expect(OldAppConversion.milliseconds("1758000000000.0") == 1_758_000_000_000)
        #expect(OldAppConversion.milliseconds("1758000000000.5") == nil)
        #expect(OldAppConversion.milliseconds("-1") == nil)
        #expect(OldAppConversion.milliseconds("253402300800000") == nil)
        #expect(OldAppConversion.milliseconds(nil) == nil)
    }
}
