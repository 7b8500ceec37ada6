import Foundation
import GRDB

/// The rows of a database of the older app, read as they are: its columns have SQLite's loose
/// types (a REAL column may hold text, an id may be NULL), so every value comes out as text or
/// nil and the conversion decides what it means.
///
/// Its schema: `users(username, otp_secret)`, `funnels(id, name, "limit", color, emoji,
/// user_name)`, `spendings(id, amount, timestamp, funnel_id)`, `jwt_blacklist(username,
/// iat_until)`, `alembic_version(version_num)`.
public struct OldAppRows: Sendable, Equatable {
    public struct User: Sendable, Equatable {
        public var row: Int64
        public var username: String?
        public var otpSecret: String?
    }

    public struct Funnel: Sendable, Equatable {
        public var row: Int64
        public var id: String?
        public var name: String?
        /// A decimal number as text ("12.5", "1e-05"), or nil for NULL; anything else as stored.
        public var limit: String?
        public var color: String?
        public var emoji: String?
        public var userName: String?
    }

    public struct Spending: Sendable, Equatable {
        public var row: Int64
        public var id: String?
        public var amount: String?
        public var timestamp: String?
        public var funnelId: String?
    }

    public var users: [User]
    public var funnels: [Funnel]
    public var spendings: [Spending]
    public var alembicVersion: String?

    public init(users: [User], funnels: [Funnel], spendings: [Spending], alembicVersion: String?) {
        self.users = users
        self.funnels = funnels
        self.spendings = spendings
        self.alembicVersion = alembicVersion
    }

    public enum ReadError: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case notTheOldApp(String)

        public var description: String {
            switch self {
            case .unreadable(let reason): "The old database cannot be read: \(reason)"
            case .notTheOldApp(let detail): "This is not a database of the older app: \(detail)"
            }
        }
    }

    static let tables: [String: [String]] = [
        "users": ["username", "otp_secret"],
        "funnels": ["id", "name", "limit", "color", "emoji", "user_name"],
        "spendings": ["id", "amount", "timestamp", "funnel_id"],
    ]

    /// Reads every row of the file at `path`, opened read-only (the old database is never changed).
    public static func read(path: String) throws -> OldAppRows {
        guard FileManager.default.isReadableFile(atPath: path) else { throw ReadError.unreadable("no readable file at \(path)") }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                for (table, columns) in tables.sorted(by: { $0.key < $1.key }) {
                    guard try db.tableExists(table) else { throw ReadError.notTheOldApp("it has no table \(table)") }
                    let present = Set(try db.columns(in: table).map { $0.name.lowercased() })
                    if let missing = columns.first(where: { !present.contains($0) }) {
                        throw ReadError.notTheOldApp("its table \(table) has no column \(missing)")
                    }
                }
                let version = try db.tableExists("alembic_version")
                    ? try String.fetchOne(db, sql: "SELECT version_num FROM alembic_version LIMIT 1") : nil
                return OldAppRows(
                    users: try Row.fetchAll(db, sql: "SELECT rowid, username, otp_secret FROM users ORDER BY rowid").map {
                        User(row: $0[0], username: text($0[1]), otpSecret: text($0[2]))
                    },
                    funnels: try Row.fetchAll(
                        db, sql: #"SELECT rowid, id, name, "limit", color, emoji, user_name FROM funnels ORDER BY rowid"#
                    ).map {
                        Funnel(row: $0[0], id: text($0[1]), name: text($0[2]), limit: text($0[3]),
                               color: text($0[4]), emoji: text($0[5]), userName: text($0[6]))
                    },
                    spendings: try Row.fetchAll(
                        db, sql: "SELECT rowid, id, amount, timestamp, funnel_id FROM spendings ORDER BY rowid"
                    ).map {
                        Spending(row: $0[0], id: text($0[1]), amount: text($0[2]), timestamp: text($0[3]), funnelId: text($0[4]))
                    },
                    alembicVersion: version)
            }
        } catch let error as ReadError {
            throw error
        } catch let error as DatabaseError {
            throw ReadError.unreadable(error.message ?? "\(error.resultCode)")
        }
    }

    /// Any stored value as text: an integer in decimal, a real in its shortest round-trip form
    /// (the amount a person typed, 12.34, rather than the double's 12.339999…), a blob as UTF-8.
    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let integer): String(integer)
        case .double(let real): "\(real)"
        case .string(let string): string
        case .blob(let data): String(decoding: data, as: UTF8.self)
        }
    }
}
