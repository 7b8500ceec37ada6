import Foundation
import Hummingbird
import QRCode
import Storage
import TOTP

/// Registration, sign-in and token rotation: POST /user/…
struct AccountController {
    let accounts: AccountStore
    let sessions: SessionStore
    let directory: MemberDirectory
    let tokens: TokenService
    let secrets: SecretBox
    let throttles: LoginThrottles
    let clientAddresses: ClientAddresses
    let newHouseholds: NewHouseholds
    let enrolments: EnrolmentStore
    let sessionPolicy: AppSettings.SessionPolicy
    let registration: AppSettings.Registration
    let metrics: ServiceMetrics
    let clock: ServiceClock

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("generate-otp-secret", use: generateSecret)
            .post(use: register)
            .post("login", use: login)
            .post("refresh", use: refresh)
            .post("recover", use: recover)
            .post("enrolment", use: enrolment)
            .post("enrol", use: enrol)
    }

    @Sendable func generateSecret(_ request: Request, context: AppRequestContext) async throws -> OTPSecretOutput {
        guard registration != .closed else { throw APIError.registrationClosed }
        let address = try countSignUpAttempt("secret", request, context: context)
        let input = try await request.decodeJSON(UsernameInput.self, context: context)
        // Whether the name is taken is told at registration only (throttled there), so that
        // this open endpoint cannot be used to list the server's users.
        let username = try Validate.username(input.username)
        if let zone = input.timeZone { _ = try Validate.timeZone(zone) }
        // An invite that registration would refuse is refused now, before the person adds a
        // secret to their authenticator that could never sign in.
        let invite = try usableInvite(input.invite, address: address)
        if let invite, !(try await accounts.inviteIsOpen(code: invite, now: clock.millis)) {
            throw refusedInvite(address: address, context: context)
        }
        return try Self.freshSecret(for: username)
    }

    /// A new random secret for `username`'s authenticator entry, as Base32, URI and QR code.
    static func freshSecret(for username: String) throws -> OTPSecretOutput {
        let secret = Base32.encode(OTPSecret.generate())
        let uri = OTPAuthURI.totp(secretBase32: secret, account: username)
        let svg = try QRCode(text: uri).svg(title: "Scan with your authenticator app")
        return OTPSecretOutput(secret: secret, uri: uri, qrSvg: svg)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> TokenPair {
        guard registration != .closed else { throw APIError.registrationClosed }
        let address = try countSignUpAttempt("register", request, context: context)
        let input = try await request.decodeJSON(RegistrationInput.self, context: context)
        let username = try Validate.username(input.username)
        let zone = try input.timeZone.map { try Validate.timeZone($0) }
        let invite = try usableInvite(input.invite, address: address)
        let (secret, step) = try provenSecret(input.otpSecret, code: input.otpExample)

        let userId = UUID().uuidString.lowercased()
        let now = clock.millis
        let user = UserRecord(
            id: userId, username: username, otpSecretSealed: try secrets.seal(secret, userId: userId),
            lastOtpStep: step, householdId: "", role: .owner, createdAt: now)
        let placement: AccountStore.Placement
        if let invite {
            placement = .invite(code: invite)
        } else {
            let start = newHouseholds.make(for: username, ownerId: userId, timeZone: zone, now: now)
            placement = .newHousehold(start.household, funnels: start.funnels)
        }
        let session = newSession(userId: userId, name: input.deviceName, request, now: now)
        do {
            _ = try await accounts.register(user, placement: placement, session: session, now: now)
        } catch StorageError.inviteInvalid {
            throw refusedInvite(address: address, context: context)
        }
        return try await tokens.issuePair(
            userId: userId, username: username, sessionId: session.id, refreshId: session.refreshTokenId, now: clock.seconds)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> TokenPair {
        let input = try await request.decodeJSON(LoginInput.self, context: context)
        let username = input.username.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = clock.seconds
        let userKey = "user:" + UserRecord.key(for: username)
        let addressKey = "addr:" + clientAddresses.address(of: request, peer: context.peerAddress)
        let limits = [(throttles.username, userKey), (throttles.address, addressKey)]
        let waits = limits.compactMap { throttle, key in throttle.retryAfter(key, now: now) }
        if let wait = waits.max() {
            metrics.recordLogin(.throttled)
            context.logger.notice("Sign-in refused while locked out", metadata: ["username": "\(username.prefix(64))", "address": "\(addressKey.dropFirst(5))"])
            throw APIError.tooManyAttempts(retryAfter: wait)
        }

        guard let user = try await verifiedUser(username: username, code: input.otp, now: now) else {
            for (throttle, key) in limits { throttle.recordFailure(key, now: now) }
            metrics.recordLogin(.failed)
            context.logger.notice("Failed sign-in", metadata: ["username": "\(username.prefix(64))", "address": "\(addressKey.dropFirst(5))"])
            for (throttle, key) in limits where throttle.retryAfter(key, now: now) != nil {
                context.logger.warning("Sign-in locked out", metadata: ["key": "\(key)", "seconds": "\(throttle.retryAfter(key, now: now) ?? 0)"])
            }
            throw APIError.invalidPassword
        }
        throttles.username.recordSuccess(userKey)
        metrics.recordLogin(.succeeded)

        let nowMillis = clock.millis
        let session = newSession(userId: user.id, name: input.deviceName, request, now: nowMillis)
        try await sessions.create(session)
        if sessionPolicy == .single {
            try await sessions.revokeAll(userId: user.id, keeping: session.id, notBefore: nil, now: nowMillis)
        }
        return try await tokens.issuePair(
            userId: user.id, username: user.username, sessionId: session.id, refreshId: session.refreshTokenId, now: now)
    }

    /// The user, when `code` is a current code of theirs that was never used before.
    private func verifiedUser(username: String, code: String, now: Int64) async throws -> UserRecord? {
        guard !username.isEmpty, let user = try await accounts.user(username: username),
            let secret = try? secrets.open(user.otpSecretSealed, userId: user.id),
            let step = try TOTP(secret: secret).matchingStep(for: code.trimmingCharacters(in: .whitespaces), at: now),
            try await accounts.consumeOTPStep(userId: user.id, step: step)
        else { return nil }
        return user
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> TokenPair {
        let input = try await request.decodeJSON(RefreshInput.self, context: context)
        let now = clock.seconds
        let claims: TokenClaims
        do {
            claims = try await tokens.verify(input.refresh.trimmingCharacters(in: .whitespaces), as: .refresh, now: now)
        } catch {
            throw error == .expired ? APIError.refreshExpired : APIError.invalidToken
        }
        guard sessions.live.admits(userId: claims.sub, sessionId: claims.sid, issuedAt: claims.iat),
            let member = directory.member(id: claims.sub)
        else { throw APIError.refreshBlacklisted }
        let next = UUID().uuidString.lowercased()
        let rotation = try await sessions.rotate(
            sessionId: claims.sid, userId: claims.sub, presented: claims.jti, next: next, now: clock.millis)
        guard rotation == .rotated else {
            if rotation == .reused {
                metrics.recordRefreshTokenReuse()
                context.logger.warning("Refresh token reused: device session revoked", metadata: ["session": "\(claims.sid)"])
            }
            throw APIError.refreshBlacklisted
        }
        return try await tokens.issuePair(
            userId: member.id, username: member.username, sessionId: claims.sid, refreshId: next, now: now)
    }

    /// The secret a client chose and the time step of the current code it showed for it.
    func provenSecret(_ base32: String, code: String) throws -> (secret: [UInt8], step: Int64) {
        guard let secret = Base32.decode(base32), secret.count >= 16 else {
            throw ValidationFailure(body: ["otp_secret"], "OTP secret must be Base32 of at least 128 bits")
        }
        guard let step = try TOTP(secret: secret).matchingStep(for: code.trimmingCharacters(in: .whitespaces), at: clock.seconds)
        else { throw APIError.invalidOTP }
        return (secret, step)
    }

    /// The invite code given (normalised), nil for none; refuses a missing one where
    /// REGISTRATION=invite, and any while the address is locked out for wrong codes.
    private func usableInvite(_ given: String?, address: String) throws -> String? {
        let invite = given?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !invite.isEmpty else {
            if registration == .invite { throw APIError.inviteRequired }
            return nil
        }
        if let wait = throttles.invite.retryAfter("addr:" + address, now: clock.seconds) {
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        return InviteCode.normalize(invite)
    }

    /// A wrong invite code, counted against the address as wrong sign-in codes are.
    private func refusedInvite(address: String, context: AppRequestContext) -> APIError {
        throttles.invite.recordFailure("addr:" + address, now: clock.seconds)
        context.logger.notice("Sign-up with an invalid invite code", metadata: ["address": "\(address)"])
        return APIError.inviteInvalid
    }

    /// Counts a sign-up step against the client address's hourly allowance (429 once spent);
    /// answers the address.
    @discardableResult
    private func countSignUpAttempt(_ step: String, _ request: Request, context: AppRequestContext) throws -> String {
        let address = clientAddresses.address(of: request, peer: context.peerAddress)
        let key = "\(step):\(address)"
        let now = clock.seconds
        if let wait = throttles.signup.retryAfter(key, now: now) {
            context.logger.notice("Sign-up refused: too many attempts", metadata: ["address": "\(address)"])
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        throttles.signup.recordFailure(key, now: now)
        return address
    }

    /// A new device session, named as the user recognises it in their device list: what the
    /// client says, else its User-Agent.
    func newSession(userId: String, name given: String?, _ request: Request, now: Int64) -> DeviceSessionRecord {
        // A device name is a courtesy, so control characters are dropped rather than refused.
        let printable = given.map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.properties.generalCategory != .control })) }
        let trimmed = printable?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let name = trimmed.isEmpty ? DeviceName.from(userAgent: request.headers[.userAgent]) : String(trimmed.prefix(64))
        return DeviceSessionRecord(
            id: UUID().uuidString.lowercased(), userId: userId, name: name, createdAt: now,
            refreshTokenId: UUID().uuidString.lowercased())
    }
}
