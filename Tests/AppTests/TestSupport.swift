import App
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Synchronization
import TOTP
import Testing

// MARK: - Clock

/// The service's clock in tests: moved by hand, read by every request.
final class TestClock: Sendable {
    /// 2025-09-20T10:00:00Z, a Saturday; 12:00 in Berlin.
    static let defaultStart = Date(timeIntervalSince1970: 1_758_362_400)

    private let date: Mutex<Date>

    init(_ start: Date = TestClock.defaultStart) {
        date = Mutex(start)
    }

    var now: Date { date.withLock { $0 } }
    var seconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }
    var millis: Int64 { Int64((now.timeIntervalSince1970 * 1000).rounded(.down)) }

    func advance(_ seconds: TimeInterval) {
        date.withLock { $0 += seconds }
    }

    func set(_ newDate: Date) {
        date.withLock { $0 = newDate }
    }
}

/// An instant given in a time zone's wall-clock time.
func instant(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, in zone: String) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone)!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

func dec(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

// MARK: - Request bodies

/// JSON written exactly as given (numbers keep their text), with literals for the common cases.
indirect enum JSON: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])
    /// Any text, valid JSON or not.
    case raw(String)

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .number(String(value)) }
    init(floatLiteral value: Double) { self = .number(String(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) { self = .object(elements) }
    init(nilLiteral: ()) { self = .null }

    static func decimal(_ text: String) -> JSON { .number(text) }

    var text: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text), .raw(let text): text
        case .string(let value): Self.quote(value)
        case .array(let values): "[" + values.map(\.text).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { Self.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    /// The object with `key` set (replaced or appended).
    func with(_ key: String, _ value: JSON) -> JSON {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }

    func without(_ key: String) -> JSON {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.0 != key })
    }

    private static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

// MARK: - Answers

struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }

    var object: [String: Any]? { (try? json()) as? [String: Any] }

    /// `detail` when it is a string.
    var detail: String? { object?["detail"] as? String }

    /// The 422 list: each issue's `loc` (as strings) and `type`.
    var issues: [(loc: [String], type: String)] {
        guard let list = object?["detail"] as? [[String: Any]] else { return [] }
        return list.map { issue in
            let loc = (issue["loc"] as? [Any] ?? []).map { "\($0)" }
            return (loc, issue["type"] as? String ?? "")
        }
    }

    /// Whether the answer is a 422 in the list shape, each issue with loc, msg and type.
    var isValidationList: Bool {
        guard status == .unprocessableContent, let list = object?["detail"] as? [[String: Any]], !list.isEmpty else { return false }
        return list.allSatisfy { $0["loc"] is [Any] && $0["msg"] is String && $0["type"] is String }
    }

    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: body)
    }
}

extension Reply: CustomTestStringConvertible {
    var testDescription: String { "\(status.code) \(text.prefix(400))" }
}

struct Tokens: Codable, Sendable, Equatable {
    var access: String
    var refresh: String
}

struct Account: Sendable {
    let username: String
    let secret: [UInt8]
    var tokens: Tokens
    var access: String { tokens.access }
}

struct Funnel: Decodable, Sendable, Equatable {
    let id: String
    let name: String
    let limit: Decimal
    let color: String
    let emoji: String
    let remaining: Decimal
    let daily: Decimal
    let perDay: Decimal
    let perDayFromTomorrow: Decimal?
    let spent: Decimal
    let shared: Bool
    let owner: String
    let position: Int
}

struct Spending: Decodable, Sendable, Equatable {
    let id: String
    let amount: Decimal
    let timestamp: Int64
    let funnelId: String
    let note: String
    let user: String
}

struct Overview: Decodable, Sendable, Equatable {
    struct Period: Decodable, Sendable, Equatable {
        let start: Int64
        let end: Int64
        let length: Int
        let daysAfterToday: Int
    }

    let period: Period
    let currency: String
    let funnels: [Funnel]
    let recent: [Spending]
}

struct Household: Decodable, Sendable, Equatable {
    struct Member: Decodable, Sendable, Equatable {
        let username: String
        let role: String
    }

    let id: String
    let name: String
    let currency: String
    let periodStartDay: Int
    let timeZone: String
    let role: String
    let members: [Member]
}

struct Device: Decodable, Sendable, Equatable {
    let id: String
    let name: String
    let createdAt: Int64
    let lastSeenAt: Int64
    let current: Bool
}

// MARK: - The application under test

/// Runs `test` against the whole router, in process, over a fresh SQLite file in a temporary
/// folder (removed afterwards) and a clock the test moves.
func withApp<T: Sendable>(
    clock: TestClock = TestClock(),
    configure: (inout AppSettings) -> Void = { _ in },
    beforeStart: (AppSettings) throws -> Void = { _ in },
    _ test: @Sendable (API) async throws -> T
) async throws -> T {
    let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }

    var settings = AppSettings()
    settings.dataDir = folder
    settings.webDir = (folder as NSString).appendingPathComponent("web")  // no PWA: unknown routes stay 404
    settings.timeZone = "UTC"
    settings.periodStartDay = 1
    settings.logLevel = .error
    configure(&settings)
    // What a command does with the data folder before the service starts (an import).
    try beforeStart(settings)

    // The same builder as production, with the test's clock: nothing assembled by hand.
    let app = try await buildApplication(settings: settings, clock: ServiceClock { clock.now })
    let frozenSettings = settings
    return try await app.test(.router) { client in
        // A second connection pool on the same file, for tests that look into the database.
        let database = try StrackerDatabase(path: frozenSettings.databasePath)
        defer { try? database.close() }
        return try await test(API(client: client, clock: clock, stores: try Stores(database: database), settings: frozenSettings))
    }
}

/// The test client with the service's vocabulary.
struct API: Sendable {
    let client: any TestClientProtocol
    let clock: TestClock
    /// Read-only use: its in-memory mirrors are not the service's.
    let stores: Stores
    let settings: AppSettings

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: JSON? = nil, body: String? = nil,
        bytes: [UInt8]? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let bytes = (json?.text ?? body).map({ Array($0.utf8) }) ?? bytes {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: bytes)
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: buffer)
        return Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    @discardableResult
    func get(_ path: String, token: String? = nil) async throws -> Reply {
        try await send(.get, path, token: token)
    }

    @discardableResult
    func post(_ path: String, token: String? = nil, json: JSON? = nil) async throws -> Reply {
        try await send(.post, path, token: token, json: json)
    }

    @discardableResult
    func put(_ path: String, token: String? = nil, json: JSON) async throws -> Reply {
        try await send(.put, path, token: token, json: json)
    }

    @discardableResult
    func patch(_ path: String, token: String? = nil, json: JSON) async throws -> Reply {
        try await send(.patch, path, token: token, json: json)
    }

    @discardableResult
    func delete(_ path: String, token: String? = nil) async throws -> Reply {
        try await send(.delete, path, token: token)
    }

    // MARK: Codes and accounts

    /// The code of `secret` at the clock's time, `steps` steps away.
    func code(_ secret: [UInt8], steps: Int64 = 0) -> String {
        try! TOTP(secret: secret).code(at: clock.seconds + 30 * steps)
    }

    /// A six-digit code that is none of the accepted ones now.
    func wrongCode(_ secret: [UInt8]) -> String {
        let accepted = Set((-1...1).map { code(secret, steps: Int64($0)) })
        return ["000000", "111111", "222222", "333333"].first { !accepted.contains($0) }!
    }

    /// Registers through the API (fresh secret from generate-otp-secret, current code).
    func register(_ username: String, invite: String? = nil, deviceName: String? = nil) async throws -> Account {
        let generated = try await post("/user/generate-otp-secret", json: ["username": .string(username)])
        try #require(generated.status == .ok, "\(generated)")
        let base32 = try #require(generated.object?["secret"] as? String)
        let secret = try #require(Base32.decode(base32))
        var body: JSON = ["username": .string(username), "otp_secret": .string(base32), "otp_example": .string(code(secret))]
        if let invite { body = body.with("invite", .string(invite)) }
        if let deviceName { body = body.with("device_name", .string(deviceName)) }
        let reply = try await post("/user/", json: body)
        try #require(reply.status == .ok, "\(reply)")
        return Account(username: username, secret: secret, tokens: try reply.decode())
    }

    /// Signs in with the next time step's code, moving the clock 30 s so the step is fresh.
    func login(_ account: Account, deviceName: String? = nil) async throws -> Tokens {
        clock.advance(30)
        var body: JSON = ["username": .string(account.username), "otp": .string(code(account.secret))]
        if let deviceName { body = body.with("device_name", .string(deviceName)) }
        let reply = try await post("/user/login", json: body)
        try #require(reply.status == .ok, "\(reply)")
        return try reply.decode()
    }

    // MARK: Funnels and spendings

    func funnels(_ token: String) async throws -> [Funnel] {
        let reply = try await get("/funnel/", token: token)
        try #require(reply.status == .ok, "\(reply)")
        return try reply.decode()
    }

    func funnel(_ id: String, _ token: String) async throws -> Funnel {
        let reply = try await get("/funnel/\(id)", token: token)
        try #require(reply.status == .ok, "\(reply)")
        return try reply.decode()
    }

    func createFunnel(
        _ token: String, name: String = "Fun", limit: String = "100", color: String = "#123456", emoji: String = "🎉",
        shared: Bool = false
    ) async throws -> String {
        let reply = try await post(
            "/funnel/", token: token,
            json: ["name": .string(name), "limit": .number(limit), "color": .string(color), "emoji": .string(emoji), "shared": .bool(shared)])
        try #require(reply.status == .created, "\(reply)")
        return try reply.decode(String.self)
    }

    func createSpending(_ token: String, funnel: String, amount: String, timestamp: Int64? = nil, note: String? = nil) async throws -> String {
        var body: JSON = ["amount": .number(amount), "funnel_id": .string(funnel)]
        if let timestamp { body = body.with("timestamp", .number(String(timestamp))) }
        if let note { body = body.with("note", .string(note)) }
        let reply = try await post("/spending/", token: token, json: body)
        try #require(reply.status == .created, "\(reply)")
        return try reply.decode(String.self)
    }

    func spendings(_ token: String, query: String = "timestamp_from=0") async throws -> [Spending] {
        let reply = try await get("/spending/?\(query)", token: token)
        try #require(reply.status == .ok, "\(reply)")
        return try reply.decode()
    }

    func overview(_ token: String) async throws -> Overview {
        let reply = try await get("/overview", token: token)
        try #require(reply.status == .ok, "\(reply)")
        return try reply.decode()
    }

    func household(_ token: String) async throws -> Household {
        let reply = try await get("/household", token: token)
        try #require(reply.status == .ok, "\(reply)")
        return try reply.decode()
    }

    /// An invite code of the caller's household.
    func invite(_ token: String) async throws -> String {
        let reply = try await post("/household/invite", token: token)
        try #require(reply.status == .created, "\(reply)")
        return try #require(reply.object?["code"] as? String)
    }
}
