import Budget
import Foundation
import Hummingbird
import Storage

/// /household: settings, members and invites.
struct HouseholdController {
    let households: HouseholdStore
    let newHouseholds: NewHouseholds
    /// Seconds an invite code stays valid.
    let inviteTTL: Int
    let clock: ServiceClock

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .get(use: show)
            .patch(use: update)
            .post("invite", use: invite)
            .post("leave", use: leave)
            .delete("members/:username", use: remove)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> HouseholdOutput {
        let current = try await households.members(of: context.identity.householdId)
        return current.household.output(members: current.members, role: context.identity.role)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> HouseholdOutput {
        try requireOwner(context)
        let patch = try await request.decodeJSON(HouseholdPatch.self, context: context)
        let updated = try await households.update(id: context.identity.householdId) { household in
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
                household.timeZone = try Validate.timeZone(zone)
            }
        }
        return updated.household.output(members: updated.members, role: context.identity.role)
    }

    @Sendable func invite(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<InviteOutput> {
        try requireOwner(context)
        let now = clock.millis
        let invite = InviteRecord(
            code: InviteCode.generate(), householdId: context.identity.householdId, createdBy: context.identity.userId,
            createdAt: now, expiresAt: now + Int64(inviteTTL) * 1000)
        try await households.createInvite(invite)
        return EditedResponse(status: .created, response: InviteOutput(code: invite.code, expiresAt: invite.expiresAt))
    }

    /// The caller leaves for a household of their own; an owner's role passes to the longest-standing member.
    @Sendable func leave(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        try await move(username: context.identity.username, from: context.identity.householdId)
        return .noContent
    }

    @Sendable func remove(_ request: Request, context: AuthenticatedContext) async throws -> HTTPResponse.Status {
        try requireOwner(context)
        let username = try context.parameters.require("username")
        try await move(username: username, from: context.identity.householdId) { member in
            guard member.id != context.identity.userId else {
                throw APIError(.conflict, "Use leave to leave your own household")
            }
        }
        return .noContent
    }

    private func move(username: String, from householdId: String, _ mayMove: @Sendable (UserRecord) throws -> Void = { _ in }) async throws {
        let key = UserRecord.key(for: username)
        // The new household is named after the member as stored, whatever case the path used.
        try await households.move(usernameKey: key, outOf: householdId, into: { member in
            newHouseholds.make(for: member.username, ownerId: member.id, now: clock.millis)
        }, mayMove)
    }

    private func requireOwner(_ context: AuthenticatedContext) throws {
        guard context.identity.role == .owner else { throw APIError.ownerOnly }
    }
}
