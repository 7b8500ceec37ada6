import Budget
import Foundation
import Hummingbird
import Storage

/// /household: settings, members and invites.
struct HouseholdController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("household", use: show)
        group.patch("household", use: update)
        group.post("household/invite", use: invite)
        group.post("household/leave", use: leave)
        group.delete("household/members/:username", use: remove)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        JSONBody.response(try await output(for: context.identity))
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try requireOwner(context)
        let patch = try await request.decodeJSON(HouseholdPatch.self, context: context)
        guard var household = try await services.storage.households.household(id: context.identity.householdID) else {
            throw APIError.tokenBlacklisted
        }
        if let name = patch.name { household.name = try Validate.name(name) }
        if let code = patch.currency {
            guard let currency = Currency(code: code) else {
                throw ValidationFailure(body: ["currency"], "Input should be an ISO 4217 currency code", type: "value_error")
            }
            // Amounts are stored in minor units: another exponent would silently rescale every one.
            guard currency.exponent == household.exponent else {
                throw ValidationFailure(body: ["currency"], "The new currency must have as many decimals as the current one", type: "value_error")
            }
            household.currency = currency.code
        }
        if let day = patch.periodStartDay {
            guard (1...28).contains(day) else {
                throw ValidationFailure(body: ["period_start_day"], "Input should be from 1 to 28", type: "less_than_equal")
            }
            household.periodStartDay = day
        }
        if let zone = patch.timeZone {
            guard TimeZone(identifier: zone) != nil, zone.contains("/") || zone == "UTC" else {
                throw ValidationFailure(body: ["time_zone"], "Input should be an IANA time zone such as Europe/Berlin", type: "value_error")
            }
            household.timeZone = zone
        }
        try await services.storage.households.update(household)
        return JSONBody.response(try await output(for: context.identity))
    }

    @Sendable func invite(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try requireOwner(context)
        let now = services.nowMillis
        let invite = InviteRecord(
            code: InviteCode.generate(), householdID: context.identity.householdID, createdBy: context.identity.userID,
            createdAt: now, expiresAt: now + Int64(services.settings.inviteTTL) * 1000)
        try await services.storage.households.createInvite(invite)
        return JSONBody.response(status: .created, InviteOutput(code: invite.code, expiresAt: invite.expiresAt))
    }

    /// The caller leaves for a household of their own; an owner's role passes to the longest-standing member.
    @Sendable func leave(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        try await move(userID: context.identity.userID, username: context.identity.username, from: context.identity.householdID)
        return .noContent
    }

    @Sendable func remove(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        try requireOwner(context)
        let username = try context.parameters.require("username")
        let members = try await services.storage.households.members(of: context.identity.householdID)
        guard let member = members.first(where: { $0.usernameKey == UserRecord.key(for: username) }) else {
            throw APIError.memberNotFound
        }
        guard member.id != context.identity.userID else {
            throw APIError(.conflict, "Use leave to leave your own household")
        }
        try await move(userID: member.id, username: member.username, from: context.identity.householdID)
        return .noContent
    }

    private func move(userID: String, username: String, from householdID: String) async throws {
        let household = services.newHousehold(for: username)
        do {
            try await services.storage.households.move(
                userID: userID, outOf: householdID, into: household,
                funnels: DefaultFunnels.make(householdID: household.id, ownerID: userID, currency: household.currency, now: services.nowMillis))
        } catch StorageError.lastMember {
            throw APIError(.conflict, "You are the only member of this household")
        } catch StorageError.notFound {
            throw APIError.memberNotFound
        }
    }

    private func requireOwner(_ context: AuthenticatedContext) throws {
        guard context.identity.role == .owner else { throw APIError.ownerOnly }
    }

    private func output(for identity: Identity) async throws -> HouseholdOutput {
        guard let household = try await services.storage.households.household(id: identity.householdID) else {
            throw APIError.tokenBlacklisted
        }
        let members = try await services.storage.households.members(of: household.id)
        return HouseholdOutput(
            id: household.id, name: household.name, currency: household.currency, periodStartDay: household.periodStartDay,
            timeZone: household.timeZone, role: identity.role.rawValue,
            members: members.map { MemberOutput(username: $0.username, role: $0.role.rawValue, joinedAt: $0.createdAt) })
    }
}
