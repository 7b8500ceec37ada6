import Foundation
import Hummingbird
import Storage

/// /spending: what members spent, in the funnels the caller may see.
struct SpendingController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("spending", use: list)
        group.post("spending", use: create)
        group.get("spending/:id", use: show)
        group.put("spending/:id", use: update)
        group.patch("spending/:id", use: update)
        group.delete("spending/:id", use: delete)
    }

    static let maxPage = 5000

    /// Newest first. Defaults to this period up to now, as the old API did; `before` pages further back.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let identity = context.identity
        let query = request.uri.queryParameters
        let now = services.now()
        let view = try await services.overviews.view(for: identity, now: now)
        func instant(_ name: String) throws -> Int64? {
            guard let text = query[name[...]] else { return nil }
            guard let value = Int64(text) else {
                throw ValidationFailure(query: name, "Input should be a whole number of milliseconds", type: "int_parsing")
            }
            return try Validate.timestamp(Decimal(value), field: name, in: "query")
        }
        let from = try instant("timestamp_from") ?? view.period.startMillis
        let to = try instant("timestamp_to").map { $0 + 1 } ?? services.nowMillis + 1
        let before = try instant("before")
        var limit = Self.maxPage
        if let text = query["limit"] {
            guard let value = Int(text), (1...Self.maxPage).contains(value) else {
                throw ValidationFailure(query: "limit", "Input should be a whole number from 1 to \(Self.maxPage)", type: "int_parsing")
            }
            limit = value
        }
        var funnelID: String?
        if let text = query["funnel_id"] {
            let id = try Validate.uuid(String(text), location: "funnel_id", in: "query")
            guard view.funnels.contains(where: { $0.funnel.id == id }) else { throw APIError.funnelNotFound }
            funnelID = id
        }
        let spendings = try await services.storage.spendings.list(
            householdID: identity.householdID, userID: identity.userID,
            query: .init(from: from, to: to, before: before, funnelID: funnelID, limit: limit))
        let directory = services.storage.directory
        return JSONBody.response(spendings.map { $0.output(exponent: view.exponent, directory: directory) })
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let spending = try await visibleSpending(context)
        let exponent = try await services.exponent(of: context.identity.householdID)
        return JSONBody.response(spending.output(exponent: exponent, directory: services.storage.directory))
    }

    /// 201 with the id. With a client-chosen id, a retry of the same spending answers the same
    /// and stores nothing more; another spending under that id is a 409.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let input = try await request.decodeJSON(SpendingInput.self, context: context)
        let identity = context.identity
        guard let amount = input.amount else { throw ValidationFailure(body: ["amount"], "Field required", type: "missing") }
        guard let funnelText = input.funnelID else { throw ValidationFailure(body: ["funnel_id"], "Field required", type: "missing") }
        let id = try input.id.map { try Validate.uuid($0, location: "id") } ?? UUID().uuidString.lowercased()
        let funnelID = try Validate.uuid(funnelText, location: "funnel_id")
        let exponent = try await services.exponent(of: identity.householdID)
        let timestamp = try input.timestamp.map { try Validate.timestamp($0) }
        let spending = SpendingRecord(
            id: id, funnelID: funnelID, householdID: identity.householdID, userID: identity.userID,
            amountMinor: try Validate.amount(amount, exponent: exponent),
            timestamp: timestamp ?? services.nowMillis,
            note: try Validate.note(input.note), createdAt: services.nowMillis)
        guard try await services.storage.funnels.funnel(id: funnelID, householdID: identity.householdID, userID: identity.userID) != nil
        else { throw APIError.funnelNotFound }
        do {
            _ = try await services.storage.spendings.create(spending, timestampChosen: input.timestamp != nil)
        } catch StorageError.conflict {
            throw APIError(.conflict, "A different spending already has this id")
        }
        return JSONBody.response(status: .created, id)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        var spending = try await editableSpending(context)
        let input = try await request.decodeJSON(SpendingInput.self, context: context)
        let identity = context.identity
        let exponent = try await services.exponent(of: identity.householdID)
        if let amount = input.amount { spending.amountMinor = try Validate.amount(amount, exponent: exponent) }
        if let timestamp = input.timestamp { spending.timestamp = try Validate.timestamp(timestamp) }
        if let note = input.note { spending.note = try Validate.note(note) }
        if let funnelText = input.funnelID {
            let funnelID = try Validate.uuid(funnelText, location: "funnel_id")
            guard try await services.storage.funnels.funnel(id: funnelID, householdID: identity.householdID, userID: identity.userID) != nil
            else { throw APIError.funnelNotFound }
            spending.funnelID = funnelID
        }
        try await services.storage.spendings.update(spending)
        return .noContent
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        let spending = try await editableSpending(context)
        try await services.storage.spendings.delete(spending)
        return .noContent
    }

    private func visibleSpending(_ context: AuthenticatedContext) async throws -> SpendingRecord {
        let id = try context.parameters.require("id").lowercased()
        let identity = context.identity
        guard let spending = try await services.storage.spendings.spending(id: id, householdID: identity.householdID, userID: identity.userID)
        else { throw APIError.spendingNotFound }
        return spending
    }

    /// A spending the caller may see and change: their own, or any as the household's owner.
    private func editableSpending(_ context: AuthenticatedContext) async throws -> SpendingRecord {
        let spending = try await visibleSpending(context)
        guard spending.userID == context.identity.userID || context.identity.role == .owner else {
            throw APIError(.forbidden, "Only who recorded a spending or the household owner can change it")
        }
        return spending
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
