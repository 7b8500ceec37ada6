import Foundation
import Hummingbird
import Storage

/// The main screen in one call (/overview) and spent-versus-limit per period (/history).
struct OverviewController {
    let views: MemberViews
    let snapshots: SnapshotStore
    let directory: MemberDirectory
    let clock: ServiceClock

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .get("overview", use: overview)
            .get("history", use: history)
    }

    /// Rendered once per household version and local day (see `MemberViews`).
    @Sendable func overview(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let username = context.identity.username
        let body = try await views.body(.overview, for: context.identity, now: clock.now()) { snapshot, today in
            let period = snapshot.period
            return WireJSON.buffer(
                OverviewOutput(
                    period: PeriodOutput(
                        start: period.startMillis, end: period.endMillis, length: period.length,
                        daysAfterToday: snapshot.rule.daysAfterToday(in: period, now: today.start)),
                    currency: snapshot.household.currency, household: snapshot.household.name, username: username,
                    funnels: snapshot.outputs(at: today.start, directory: directory),
                    recent: snapshot.recent.map {
                        $0.output(exponent: snapshot.household.exponent, directory: directory, hasReceipt: snapshot.withReceipts.contains($0.id))
                    }))
        }
        return WireJSON.response(encoded: body)
    }

    /// The last `periods` periods (default 12, at most 60), oldest first, with each visible
    /// funnel that had begun by the period's end: its sum against its current limit, and for a
    /// shared funnel each member's part.
    @Sendable func history(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        var count = 12
        if let text = request.uri.queryParameters["periods"] {
            guard let value = Int(text), (1...60).contains(value) else {
                throw ValidationFailure(query: "periods", "Input should be a whole number from 1 to 60", type: "int_parsing")
            }
            count = value
        }
        let history = try await snapshots.history(
            householdId: context.identity.householdId, userId: context.identity.userId, at: clock.now(), periods: count)
        return WireJSON.response(encoded: HistoryJSON.render(history) { directory.member(id: $0)?.username ?? "" })
    }
}
