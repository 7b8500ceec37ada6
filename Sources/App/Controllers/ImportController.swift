import Foundation
import Hummingbird
import Storage

/// POST /import: a CSV with a header row (the export's own columns, or others named by
/// `<field>_column`), stored in one transaction or refused whole with every bad line named.
/// `dry_run=1` answers the same counts and stores nothing; `create_funnels=1` creates the
/// funnels it names that the caller does not have (shared, limit 0).
struct ImportController {
    let spendings: SpendingStore
    let clock: ServiceClock

    /// The largest file accepted (RequestLimitsMiddleware lets this route's body through).
    static let maxBytes = 16 * 1024 * 1024
    static let maxRows = 200_000

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .post("import", use: importFile)
    }

    struct Output: ResponseEncodable {
        var rows: Int
        var created: Int
        var duplicates: Int
        var funnelsCreated: [String]
        var dryRun: Bool
    }

    @Sendable func importFile(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = request.uri.queryParameters
        let dryRun = try Self.flag(query["dry_run"].map(String.init), name: "dry_run")
        let createFunnels = try Self.flag(query["create_funnels"].map(String.init), name: "create_funnels")
        var mapping: [ImportColumns.Field: String] = [:]
        for field in ImportColumns.Field.allCases {
            if let name = query["\(field.rawValue)_column"].map(String.init), !name.isEmpty { mapping[field] = name }
        }

        let body = try await request.body.collect(upTo: Self.maxBytes)
        let bytes = Array(body.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ValidationFailure([.init(loc: ["body"], msg: "The file should be UTF-8 text (CSV)", type: "value_error")])
        }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(bytes)
        } catch .unclosedQuote(let line) {
            throw ValidationFailure([.init(loc: ["body", .index(line)], msg: "Line \(line): a quoted field is never closed", type: "value_error")])
        } catch .textAfterQuote(let line) {
            throw ValidationFailure([.init(loc: ["body", .index(line)], msg: "Line \(line): text after a closing quote", type: "value_error")])
        }
        guard let header = records.first else {
            throw ValidationFailure([.init(loc: ["body"], msg: "The file is empty: it needs a header row (date,amount,currency,funnel,who,note)", type: "missing")])
        }
        guard records.count - 1 <= Self.maxRows else {
            throw ValidationFailure([.init(loc: ["body"], msg: "At most \(Self.maxRows) rows at once; split the file", type: "too_long")])
        }
        let rows = ImportRows(
            records: Array(records.dropFirst()), columns: try ImportColumns(header: header.fields, mapping: mapping),
            createFunnels: createFunnels, caller: context.identity, now: clock.millis)
        let outcome = try await spendings.importSpendings(
            householdId: context.identity.householdId, userId: context.identity.userId, dryRun: dryRun, now: clock.millis
        ) { stored in try rows.plan(stored) }
        return WireJSON.response(Output(
            rows: records.count - 1, created: outcome.created, duplicates: outcome.duplicates,
            funnelsCreated: outcome.funnelsCreated, dryRun: dryRun))
    }

    static func flag(_ text: String?, name: String) throws -> Bool {
        switch text?.lowercased() {
        case nil, "0", "false", "": return false
        case "1", "true": return true
        default: throw ValidationFailure(query: name, "Input should be 1 or 0", type: "bool_parsing")
        }
    }
}
