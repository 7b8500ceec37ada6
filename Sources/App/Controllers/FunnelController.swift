import Foundation
import Hummingbird
import Storage

/// /funnel: the budget categories a member sees (their own and the household's shared ones).
struct FunnelController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("funnel", use: list)
        group.post("funnel", use: create)
        group.put("funnel/order", use: reorder)
        group.get("funnel/:id", use: show)
        group.put("funnel/:id", use: update)
        group.patch("funnel/:id", use: update)
        group.delete("funnel/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let directory = services.storage.directory
        let body = try await services.overviews.body(.funnels, for: context.identity, now: services.now()) { view, today in
            JSONBody.buffer(view.outputs(daysAfterToday: view.daysAfterToday(at: today.start), directory: directory))
        }
        return JSONBody.response(encoded: body)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try context.parameters.require("id").lowercased()
        let now = services.now()
        let view = try await services.overviews.view(for: context.identity, now: now)
        guard let entry = view.funnels.first(where: { $0.funnel.id == id }) else { throw APIError.funnelNotFound }
        return JSONBody.response(
            view.output(entry.funnel, spent: entry.spent, daysAfterToday: view.daysAfterToday(at: now), directory: services.storage.directory))
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await request.decodeJSON(FunnelInput.self, context: context)
        let identity = context.identity
        let exponent = try await services.exponent(of: identity.householdID)
        guard let name = input.name else { throw ValidationFailure(body: ["name"], "Field required", type: "missing") }
        guard let limit = input.limit else { throw ValidationFailure(body: ["limit"], "Field required", type: "missing") }
        guard let color = input.color else { throw ValidationFailure(body: ["color"], "Field required", type: "missing") }
        guard let emoji = input.emoji else { throw ValidationFailure(body: ["emoji"], "Field required", type: "missing") }
        let funnel = FunnelRecord(
            id: UUID().uuidString.lowercased(), householdID: identity.householdID, ownerID: identity.userID,
            shared: input.shared ?? false, name: try Validate.name(name), limitMinor: try Validate.limit(limit, exponent: exponent),
            color: try Validate.color(color), emoji: try Validate.emoji(emoji), position: 0, createdAt: services.nowMillis)
        let stored = try await services.storage.funnels.insert(funnel)
        return JSONBody.response(status: .created, stored.id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        var funnel = try await editableFunnel(context)
        let input = try await request.decodeJSON(FunnelInput.self, context: context)
        let exponent = try await services.exponent(of: context.identity.householdID)
        if let name = input.name { funnel.name = try Validate.name(name) }
        if let limit = input.limit { funnel.limitMinor = try Validate.limit(limit, exponent: exponent) }
        if let color = input.color { funnel.color = try Validate.color(color) }
        if let emoji = input.emoji { funnel.emoji = try Validate.emoji(emoji) }
        if let shared = input.shared { funnel.shared = shared }
        if let position = input.position { funnel.position = try Validate.position(position) }
        try await services.storage.funnels.update(funnel)
        return .noContent
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let funnel = try await editableFunnel(context)
        try await services.storage.funnels.delete(funnel)
        return .noContent
    }

    @Sendable func reorder(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let input = try await request.decodeJSON(ReorderInput.self, context: context)
        let ids = try input.ids.enumerated().map { index, id in try Validate.uuid(id, location: "ids", .index(index)) }
        do {
            try await services.storage.funnels.reorder(householdID: context.identity.householdID, userID: context.identity.userID, ids: ids)
        } catch StorageError.notFound {
            throw APIError.funnelNotFound
        }
        return .noContent
    }

    /// The funnel named in the path, if the caller may see it (else 404) and change it: its
    /// owner, or the household's owner for a shared one (else 403).
    private func editableFunnel(_ context: AuthenticatedContext) async throws -> FunnelRecord {
        let id = try context.parameters.require("id").lowercased()
        let identity = context.identity
        guard let funnel = try await services.storage.funnels.funnel(id: id, householdID: identity.householdID, userID: identity.userID)
        else { throw APIError.funnelNotFound }
        guard funnel.ownerID == identity.userID || identity.role == .owner else {
            throw APIError(.forbidden, "Only the funnel's creator or the household owner can change it")
        }
        return funnel
    }
}

extension Validate {
    static func limit(_ value: Decimal, exponent: Int) throws -> Int64 {
        let minor = try money(value, exponent: exponent, field: "limit")
        guard minor >= 0 else {
            throw ValidationFailure(body: ["limit"], "Input should be greater than or equal to 0", type: "greater_than_equal")
        }
        return minor
    }

    /// A funnel's place in lists; bounded so that "after the last one" (`position + 1`) never overflows.
    static func position(_ value: Int) throws -> Int {
        guard (0...1_000_000).contains(value) else {
            throw ValidationFailure(body: ["position"], "Input should be from 0 to 1000000", type: "less_than_equal")
        }
        return value
    }

    static func color(_ value: String) throws -> String {
        guard let color = CSSColor.normalize(value) else {
            throw ValidationFailure(body: ["color"], "Input should be #rgb, #rrggbb, rgb(r, g, b) or a CSS color name", type: "color_type")
        }
        return color
    }

    static func emoji(_ value: String) throws -> String {
        guard Emoji.isSingleEmoji(value) else {
            throw ValidationFailure(body: ["emoji"], "Input should be exactly one emoji", type: "value_error")
        }
        return value
    }
}

extension AppServices {
    /// The number of decimals of the household's currency.
    func exponent(of householdID: String) async throws -> Int {
        guard let household = try await storage.households.household(id: householdID) else { throw APIError.tokenBlacklisted }
        return household.exponent
    }
}
