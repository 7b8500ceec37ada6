import Budget
import Foundation
import Hummingbird
import NIOCore
import Storage

/// GET /export.csv (`?format=json` for JSON): every spending the caller can see, oldest first,
/// streamed page by page so that memory stays flat however many years a household has.
struct ExportController {
    let spendings: SpendingStore
    let directory: MemberDirectory
    let clock: ServiceClock

    /// Rows per read: large enough that the reads cost little, small enough to hold nothing.
    static let pageSize = 2000
    /// Bytes gathered before each write to the connection.
    static let chunkSize = 64 * 1024

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .get("export.csv", use: export)
    }

    @Sendable func export(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let formatText = request.uri.queryParameters["format"].map(String.init) ?? "csv"
        guard let format = ExportFormat(rawValue: formatText) else {
            throw ValidationFailure(query: "format", "Input should be 'csv' or 'json'", type: "enum")
        }
        let identity = context.identity
        // The first page is read before the answer starts, so that a failure is still a JSON error.
        let first = try await spendings.exportPage(householdId: identity.householdId, userId: identity.userId, after: nil, limit: Self.pageSize)
        let household = first.household
        let zone = TimeZone(identifier: household.timeZone) ?? .gmt
        let today = ZonedTimestamp.iso8601(millis: Int64(clock.now().timeIntervalSince1970 * 1000), offsetSeconds: zone.secondsFromGMT(for: clock.now())).prefix(10)
        let headers: HTTPFields = [
            .contentType: format.contentType,
            .contentDisposition: #"attachment; filename="stracker-\#(today).\#(format == .csv ? "csv" : "json")""#,
            .cacheControl: "no-store",
        ]
        let (spendings, directory, identityCopy) = (self.spendings, self.directory, identity)
        let body = ResponseBody { writer in
            var offsets = ZoneOffsets(zone: zone)
            var text = format.opening
            var page = first
            var isFirst = true
            while true {
                for row in page.rows {
                    let line = ExportFormat.Line(
                        id: row.id, timestamp: row.timestamp,
                        date: ZonedTimestamp.iso8601(millis: row.timestamp, offsetSeconds: offsets.seconds(atMillis: row.timestamp)),
                        amount: Money(minorUnits: row.amountMinor, exponent: household.exponent), currency: household.currency,
                        funnel: row.funnelName, funnelId: row.funnelId, who: directory.member(id: row.userId)?.username ?? "",
                        note: row.note)
                    format.write(line, first: isFirst, into: &text)
                    isFirst = false
                    if text.utf8.count >= Self.chunkSize {
                        try await writer.write(ByteBuffer(string: text))
                        text.removeAll(keepingCapacity: true)
                    }
                }
                guard let next = page.next else { break }
                page = try await spendings.exportPage(
                    householdId: identityCopy.householdId, userId: identityCopy.userId, after: next, limit: Self.pageSize)
            }
            text += format.closing
            try await writer.write(ByteBuffer(string: text))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
