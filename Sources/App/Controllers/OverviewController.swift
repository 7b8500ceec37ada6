import Foundation
import Hummingbird
import Storage

/// The main screen in one call (/overview) and spent-versus-limit per period (/history).
struct OverviewController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("overview", use: overview)
        group.get("history", use: history)
    }

    @Sendable func overview(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let directory = services.storage.directory
        let username = context.identity.username
        let body = try await services.overviews.body(.overview, for: context.identity, now: services.now()) { view, today in
            let period = view.period
            let daysAfterToday = view.daysAfterToday(at: today.start)
            return JSONBody.buffer(
                OverviewOutput(
                    period: PeriodOutput(
                        start: period.startMillis, end: period.endMillis, length: period.length, daysAfterToday: daysAfterToday),
                    currency: view.household.currency, household: view.household.name, username: username,
                    funnels: view.outputs(daysAfterToday: daysAfterToday, directory: directory),
                    recent: view.recent.map { $0.output(exponent: view.exponent, directory: directory) }))
        }
        return JSONBody.response(encoded: body)
    }

    /// The last `periods` periods (default 12, at most 60), oldest first, with each visible
    /// funnel's sum against its current limit.
    @Sendable func history(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        var count = 12
        if let text = request.uri.queryParameters["periods"] {
            guard let value = Int(text), (1...60).contains(value) else {
                throw ValidationFailure(query: "periods", "Input should be a whole number from 1 to 60", type: "int_parsing")
            }
            count = value
        }
        let view = try await services.overviews.view(for: context.identity, now: services.now())
        var periods = [view.period]
        while periods.count < count {
            periods.insert(view.rule.period(before: periods[0]), at: 0)
        }
        let funnels = view.funnels.map(\.funnel)
        let sums = try await services.storage.funnels.totals(
            funnelIDs: funnels.map(\.id), ranges: periods.map { (from: $0.startMillis, to: $0.endMillis) })
        return JSONBody.response(
            HistoryOutput(
                currency: view.household.currency,
                periods: zip(periods, sums).map { period, sums in
                    HistoryOutput.Period(
                        start: period.startMillis, end: period.endMillis,
                        funnels: funnels.map { funnel in
                            .init(id: funnel.id, spent: view.money(sums[funnel.id] ?? 0), limit: view.money(funnel.limitMinor))
                        })
                }))
    }
}
