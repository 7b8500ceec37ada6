import Foundation
import Hummingbird
import Storage

/// A lost authenticator: POST /user/recover (username and a recovery code → an enrolment
/// ticket), POST /user/enrolment (a ticket from the owner's link → for whom, and a fresh
/// secret), POST /user/enrol (the ticket, the new secret and a current code of it → signed in,
/// every other device signed out). Registration being closed does not stop any of these: they
/// let an existing member back in, they make no one new.
extension AccountController {
    /// How long the ticket a recovery code buys lasts: enough to set up an authenticator.
    static let ticketAfterRecoveryCode: Int64 = 15 * 60 * 1000

    static let enrolmentInvalid = APIError(.badRequest, "Enrolment link is invalid or expired")
    static let recoveryCodeInvalid = APIError(.forbidden, "Invalid recovery code")

    @Sendable func recover(_ request: Request, context: AppRequestContext) async throws -> EnrolmentOutput {
        let input = try await request.decodeJSON(RecoveryInput.self, context: context)
        let username = input.username.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = clock.seconds
        // The same locks as signing in with a code: a recovery code is a way to sign in.
        let limits = [
            (throttles.username, "user:" + UserRecord.key(for: username)),
            (throttles.address, "addr:" + clientAddresses.address(of: request, peer: context.peerAddress)),
        ]
        if let wait = limits.compactMap({ throttle, key in throttle.retryAfter(key, now: now) }).max() {
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        let ticket = EnrolmentTicket.generate()
        let expiresAt = clock.millis + Self.ticketAfterRecoveryCode
        guard !username.isEmpty, let user = try await accounts.user(username: username),
            try await enrolments.redeem(
                userId: user.id, codeHash: RecoveryCodes.hash(input.recoveryCode, userId: user.id),
                ticketHash: EnrolmentTicket.hash(ticket), expiresAt: expiresAt, now: clock.millis)
        else {
            for (throttle, key) in limits { throttle.recordFailure(key, now: now) }
            context.logger.notice("Failed recovery-code sign-in", metadata: ["username": "\(username.prefix(64))"])
            throw Self.recoveryCodeInvalid
        }
        context.logger.notice("Recovery code used", metadata: ["user": "\(user.id)"])
        return try enrolmentOutput(ticket: ticket, expiresAt: expiresAt, username: user.username)
    }

    @Sendable func enrolment(_ request: Request, context: AppRequestContext) async throws -> EnrolmentOutput {
        let input = try await request.decodeJSON(EnrolmentInput.self, context: context)
        let address = try unlockedAddress(request, context: context)
        guard let (user, expiresAt) = try await enrolments.ticketHolder(ticketHash: EnrolmentTicket.hash(input.enrolment), now: clock.millis)
        else { throw refusedTicket(address: address) }
        return try enrolmentOutput(ticket: input.enrolment.trimmingCharacters(in: .whitespaces), expiresAt: expiresAt, username: user.username)
    }

    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> TokenPair {
        let input = try await request.decodeJSON(EnrolInput.self, context: context)
        let address = try unlockedAddress(request, context: context)
        let (secret, step) = try provenSecret(input.otpSecret, code: input.otpExample)
        let now = clock.millis
        let secrets = self.secrets
        let session = newSession(userId: "", name: input.deviceName, request, now: now)
        guard let (user, opened) = try await enrolments.enrol(
            ticketHash: EnrolmentTicket.hash(input.enrolment),
            sealedSecret: { user in try secrets.seal(secret, userId: user.id) }, step: step,
            session: { user in
                var session = session
                session.userId = user.id
                return session
            }, now: now)
        else { throw refusedTicket(address: address) }
        context.logger.notice("New authenticator set up; other devices signed out", metadata: ["user": "\(user.id)"])
        return try await tokens.issuePair(
            userId: user.id, username: user.username, sessionId: opened.id, refreshId: opened.refreshTokenId, now: clock.seconds)
    }

    private func enrolmentOutput(ticket: String, expiresAt: Int64, username: String) throws -> EnrolmentOutput {
        let secret = try Self.freshSecret(for: username)
        return EnrolmentOutput(
            enrolment: ticket, expiresAt: expiresAt, username: username, secret: secret.secret, uri: secret.uri, qrSvg: secret.qrSvg)
    }

    /// The client's address, unless it is locked out for wrong tickets or invite codes.
    private func unlockedAddress(_ request: Request, context: AppRequestContext) throws -> String {
        let address = clientAddresses.address(of: request, peer: context.peerAddress)
        if let wait = throttles.invite.retryAfter("addr:" + address, now: clock.seconds) {
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        return address
    }

    private func refusedTicket(address: String) -> APIError {
        throttles.invite.recordFailure("addr:" + address, now: clock.seconds)
        return Self.enrolmentInvalid
    }
}
