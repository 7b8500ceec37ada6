import Foundation
import Hummingbird
import Storage

/// /spending: what members spent, in the funnels the caller may see.
struct SpendingController {
    let spendings: SpendingStore
    let directory: MemberDirectory
    let clock: ServiceClock

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .addResource(list: list, create: create, show: show, update: update, delete: delete)
    }

    static let maxPage = 5000

    /// Newest first. Defaults to this period up to now, as the old API did; `before` pages further back.
    /// Written as it is read (`SpendingListJSON`): up to 5 000 rows, the same bytes the encoder
    /// would write for `[SpendingOutput]`.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let identity = context.identity
        let query = request.uri.queryParameters
        /// `justOutside`: the one value past the range of spendings' instants that an exclusive
        /// bound needs in order to include the range's first or last instant.
        func instant(_ name: String, orJustOutside justOutside: Int64? = nil) throws -> Int64? {
            guard let text = query[name[...]] else { return nil }
            guard let value = Int64(text) else {
                throw ValidationFailure(query: name, "Input should be a whole number of milliseconds", type: "int_parsing")
            }
            if value == justOutside { return value }
            return try Validate.timestamp(Decimal(value), field: name, in: "query")
        }
        // Both bounds are exclusive, as in the old API; the store's are from ≤ t < to.
        let from = try instant("timestamp_from", orJustOutside: -1).map { $0 + 1 }
        let to = try instant("timestamp_to", orJustOutside: Validate.latestTimestamp + 1) ?? clock.millis + 1
        let before = try instant("before")
        var limit = Self.maxPage
        if let text = query["limit"] {
            guard let value = Int(text), (1...Self.maxPage).contains(value) else {
                throw ValidationFailure(query: "limit", "Input should be a whole number from 1 to \(Self.maxPage)", type: "int_parsing")
            }
            limit = value
        }
        let funnelId = try query["funnel_id"].map { try Validate.recordId(String($0), location: "funnel_id", in: "query") }
        let page = try await spendings.list(
            householdId: identity.householdId, userId: identity.userId,
            query: .init(from: from, to: to, before: before, funnelId: funnelId, limit: limit), at: clock.now(),
            into: SpendingListJSON(directory: directory))
        return WireJSON.response(encoded: page.sink.finished())
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> SpendingOutput {
        let identity = context.identity
        let (spending, household, hasReceipt) = try await spendings.spending(
            id: try Self.id(context), householdId: identity.householdId, userId: identity.userId)
        return spending.output(exponent: household.exponent, directory: directory, hasReceipt: hasReceipt)
    }

    /// 201 with the id. With a client-chosen id, a retry of the same spending answers the same
    /// and stores nothing more; another spending under that id is a 409.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Created {
        let input = try await request.decodeJSON(SpendingInput.self, context: context)
        let identity = context.identity
        guard let amount = input.amount else { throw ValidationFailure(body: ["amount"], "Field required", type: "missing") }
        guard let funnelText = input.funnelId else { throw ValidationFailure(body: ["funnel_id"], "Field required", type: "missing") }
        let id = try input.id.map { try Validate.uuid($0, location: "id") } ?? UUID().uuidString.lowercased()
        let funnelId = try Validate.recordId(funnelText, location: "funnel_id")
        let creation = try await spendings.create(
            householdId: identity.householdId, userId: identity.userId, timestampChosen: input.timestamp != nil
        ) { exponent in
            let timestamp = try input.timestamp.map { try Validate.timestamp($0) }
            return SpendingRecord(
                id: id, funnelId: funnelId, householdId: identity.householdId, userId: identity.userId,
                amountMinor: try Validate.amount(amount, exponent: exponent),
                timestamp: timestamp ?? clock.millis, note: try Validate.note(input.note), createdAt: clock.millis)
        }
        if case .existing = creation {
            context.logger.debug("Spending create retried: answered with the stored one", metadata: ["spending": "\(id)"])
        }
        return Created(id: creation.spending.id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let id = try Self.id(context)
        // Read before the transaction (a body arrives asynchronously); its errors are answered
        // after those of the path, as they always were.
        let body = await request.decodedJSON(SpendingInput.self, context: context)
        let identity = context.identity
        try await spendings.update(id: id, householdId: identity.householdId, userId: identity.userId) { spending, exponent in
            try Self.requireEditable(spending, by: identity)
            let input = try body.get()
            if let amount = input.amount { spending.amountMinor = try Validate.amount(amount, exponent: exponent) }
            if let timestamp = input.timestamp { spending.timestamp = try Validate.timestamp(timestamp) }
            if let note = input.note { spending.note = try Validate.note(note) }
            if let funnelText = input.funnelId { spending.funnelId = try Validate.recordId(funnelText, location: "funnel_id") }
        }
        return .noContent
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let identity = context.identity
        try await spendings.delete(id: try Self.id(context), householdId: identity.householdId, userId: identity.userId) { spending in
            try Self.requireEditable(spending, by: identity)
        }
        return .noContent
    }

    private static func id(_ context: AuthenticatedContext) throws -> String {
        try context.parameters.require("id").lowercased()
    }

    /// Who may change a spending they see: who recorded it, or the household's owner.
    static func requireEditable(_ spending: SpendingRecord, by identity: Identity) throws {
        guard spending.userId == identity.userId || identity.role == .owner else {
            throw APIError(.forbidden, "Only who recorded a spending or the household owner can change it")
        }
    }
}

extension Validate {
    static func amount(_ value: Decimal, exponent: Int) throws -> Int64 {
        let minor = try money(value, exponent: exponent, field: "amount")
        guard minor != 0 else { throw ValidationFailure(body: ["amount"], "Input should not be zero", type: "value_error") }
        return minor
    }

    static func note(_ value: String?) throws -> String {
        let note = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !Validate.hasControlCharacters(note, allowing: ["\n", "\t"]) else {
            throw ValidationFailure(body: ["note"], "Note must not contain control characters")
        }
        guard note.count <= 500 else {
            throw ValidationFailure(body: ["note"], "Note must be at most 500 characters", type: "string_too_long")
        }
        return note
    }
}
