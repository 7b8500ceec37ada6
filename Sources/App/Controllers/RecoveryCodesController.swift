import Hummingbird
import Storage

/// The caller's recovery codes (/user/recovery-codes): how many are left, and a new set that
/// replaces the old one and is shown once. The owner's side (a link that lets a member set up
/// a new authenticator) is `POST /household/members/{username}/enrolment`.
struct RecoveryCodesController {
    let enrolments: EnrolmentStore
    let accounts: AccountStore
    let clock: ServiceClock

    /// How long the link an owner makes for a member lasts.
    static let ownerLinkLifetime: Int64 = 24 * 3600 * 1000

    var endpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .get("recovery-codes", use: status)
            .post("recovery-codes", use: replace)
    }

    var householdEndpoints: RouteCollection<AuthenticatedContext> {
        RouteCollection(context: AuthenticatedContext.self)
            .post("members/:username/enrolment", use: issueForMember)
    }

    @Sendable func status(_ request: Request, context: AuthenticatedContext) async throws -> RecoveryStatusOutput {
        let status = try await enrolments.status(userId: context.identity.userId)
        return RecoveryStatusOutput(remaining: status.remaining, createdAt: status.createdAt)
    }

    @Sendable func replace(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<RecoveryCodesOutput> {
        let codes = RecoveryCodes.generate()
        let userId = context.identity.userId
        let now = clock.millis
        try await enrolments.replaceCodes(userId: userId, hashes: codes.map { RecoveryCodes.hash($0, userId: userId) }, now: now)
        return EditedResponse(status: .created, response: RecoveryCodesOutput(codes: codes, createdAt: now))
    }

    /// A one-time link for a member of the caller's household who lost their authenticator;
    /// only the owner makes one, and only for another member (the owner has recovery codes).
    @Sendable func issueForMember(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<InviteOutput> {
        let identity = context.identity
        guard identity.role == .owner else { throw APIError.ownerOnly }
        let username = try context.parameters.require("username")
        guard let member = try await accounts.user(username: username), member.householdId == identity.householdId else {
            throw APIError.memberNotFound
        }
        guard member.id != identity.userId else {
            throw APIError(.conflict, "Use your recovery codes to set up a new authenticator for yourself")
        }
        let ticket = EnrolmentTicket.generate()
        let now = clock.millis
        let expiresAt = now + Self.ownerLinkLifetime
        try await enrolments.issue(userId: member.id, ticketHash: EnrolmentTicket.hash(ticket), createdBy: identity.userId, expiresAt: expiresAt, now: now)
        context.logger.notice("Enrolment link made for a member", metadata: ["member": "\(member.id)"])
        return EditedResponse(status: .created, response: InviteOutput(code: ticket, expiresAt: expiresAt))
    }
}
