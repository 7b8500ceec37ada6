import Foundation
import Hummingbird
import Storage

/// /funnel: the budget categories a member sees (their own and the household's shared ones).
struct FunnelController {
    let funnels: FunnelStore
    let views: MemberViews
    let directory: MemberDirectory
    let clock: ServiceClock

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .put("order", use: reorder)
            .addResource(list: list, create: create, show: show, update: update, delete: delete)
    }

    /// Rendered once per household version and local day (see `MemberViews`).
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await views.body(.funnels, for: context.identity, now: clock.now()) { snapshot, today in
            WireJSON.buffer(snapshot.outputs(at: today.start, directory: directory))
        }
        return WireJSON.response(encoded: body)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> FunnelOutput {
        let id = try context.parameters.require("id").lowercased()
        let now = clock.now()
        let snapshot = try await views.snapshot(for: context.identity, now: now)
        guard let total = snapshot.funnels.first(where: { $0.funnel.id == id }) else { throw APIError.funnelNotFound }
        return snapshot.output(total, at: now, directory: directory)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Created {
        let input = try await request.decodeJSON(FunnelInput.self, context: context)
        let identity = context.identity
        let funnel = try await funnels.create(householdId: identity.householdId, ownerId: identity.userId) { exponent in
            guard let name = input.name else { throw ValidationFailure(body: ["name"], "Field required", type: "missing") }
            guard let limit = input.limit else { throw ValidationFailure(body: ["limit"], "Field required", type: "missing") }
            guard let color = input.color else { throw ValidationFailure(body: ["color"], "Field required", type: "missing") }
            guard let emoji = input.emoji else { throw ValidationFailure(body: ["emoji"], "Field required", type: "missing") }
            return FunnelRecord(
                id: UUID().uuidString.lowercased(), householdId: identity.householdId, ownerId: identity.userId,
                shared: input.shared ?? false, name: try Validate.name(name), limitMinor: try Validate.limit(limit, exponent: exponent),
                color: try Validate.color(color), emoji: try Validate.emoji(emoji), position: 0, createdAt: clock.millis)
        }
        return Created(id: funnel.id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id").lowercased()
        // Read before the transaction (a body arrives asynchronously); its errors are answered
        // after those of the path, as they always were.
        let body = await request.decodedJSON(FunnelInput.self, context: context)
        let identity = context.identity
        try await funnels.update(
            id: id, householdId: identity.householdId, userId: identity.userId, mayHideOthers: identity.role == .owner
        ) { funnel, exponent in
            try Self.requireEditable(funnel, by: identity)
            let input = try body.get()
            if let name = input.name { funnel.name = try Validate.name(name) }
            if let limit = input.limit { funnel.limitMinor = try Validate.limit(limit, exponent: exponent) }
            if let color = input.color { funnel.color = try Validate.color(color) }
            if let emoji = input.emoji { funnel.emoji = try Validate.emoji(emoji) }
            if let shared = input.shared { funnel.shared = shared }
            if let position = input.position { funnel.position = try Validate.position(position) }
        }
        return .noContent
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id").lowercased()
        let identity = context.identity
        try await funnels.delete(
            id: id, householdId: identity.householdId, userId: identity.userId, mayDeleteOthers: identity.role == .owner
        ) { funnel in
            try Self.requireEditable(funnel, by: identity)
        }
        return .noContent
    }

    @Sendable func reorder(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let input = try await request.decodeJSON(ReorderInput.self, context: context)
        let ids = try input.ids.enumerated().map { index, id in try Validate.recordId(id, location: "ids", .index(index)) }
        try await funnels.reorder(householdId: context.identity.householdId, userId: context.identity.userId, ids: ids)
        return .noContent
    }

    /// Who may change a funnel they see: its creator, or the household's owner.
    private static func requireEditable(_ funnel: FunnelRecord, by identity: Identity) throws {
        guard funnel.ownerId == identity.userId || identity.role == .owner else {
            throw APIError(.forbidden, "Only the funnel's creator or the household owner can change it")
        }
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
        guard Emoji.isLabel(value) else {
            throw ValidationFailure(
                body: ["emoji"], "Input should be an emoji or a label of 1 to \(Emoji.maxGraphemes) characters, without control characters",
                type: "value_error")
        }
        return value
    }
}
