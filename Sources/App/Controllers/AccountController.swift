import Foundation
import Hummingbird
import QRCode
import Storage
import TOTP

/// Registration, sign-in and token rotation: POST /user/…, GET /user/decode.
struct AccountController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>, authenticated: RouterGroup<AuthenticatedContext>) {
        router.post("user/generate-otp-secret", use: generateSecret)
        router.post("user", use: register)
        router.post("user/login", use: login)
        router.post("user/refresh", use: refresh)
        authenticated.get("user/decode", use: decode)
    }

    @Sendable func generateSecret(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(UsernameInput.self, context: context)
        let username = try Validate.username(input.username)
        if try await services.storage.accounts.isUsernameTaken(username) { throw APIError.usernameTaken }
        let secret = Base32.encode(OTPSecret.generate())
        let uri = OTPAuthURI.totp(secretBase32: secret, account: username)
        let svg = try QRCode(text: uri).svg(title: "Scan with your authenticator app")
        return JSONBody.response(OTPSecretOutput(secret: secret, uri: uri, qrSVG: svg))
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(RegistrationInput.self, context: context)
        let username = try Validate.username(input.username)
        guard let secret = Base32.decode(input.otpSecret), secret.count >= 16 else {
            throw ValidationFailure(body: ["otp_secret"], "OTP secret must be Base32 of at least 128 bits")
        }
        guard let step = try TOTP(secret: secret).matchingStep(for: input.otpExample.trimmingCharacters(in: .whitespaces), at: services.nowSeconds)
        else { throw APIError.invalidOTP }

        let userID = UUID().uuidString.lowercased()
        let nowMillis = services.nowMillis
        let user = UserRecord(
            id: userID, username: username, otpSecretSealed: try services.secrets.seal(secret, userID: userID),
            lastOTPStep: step, householdID: "", role: .owner, createdAt: nowMillis)
        let placement: AccountStore.Placement
        if let code = input.invite?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            placement = .invite(code: InviteCode.normalize(code))
        } else {
            let household = services.newHousehold(for: username)
            placement = .newHousehold(household, funnels: DefaultFunnels.make(householdID: household.id, ownerID: userID, currency: household.currency, now: nowMillis))
        }
        let session = DeviceSessionRecord(
            id: UUID().uuidString.lowercased(), userID: userID, name: deviceName(input.deviceName, request),
            createdAt: nowMillis, refreshTokenID: UUID().uuidString.lowercased())
        do {
            _ = try await services.storage.accounts.register(user, placement: placement, session: session, now: nowMillis)
        } catch StorageError.usernameTaken {
            throw APIError.usernameTaken
        } catch StorageError.inviteInvalid {
            throw APIError.inviteInvalid
        }
        let pair = try await services.tokens.issuePair(
            userID: userID, username: username, sessionID: session.id, refreshID: session.refreshTokenID, now: services.nowSeconds)
        return JSONBody.response(pair)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(LoginInput.self, context: context)
        let username = input.username.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = services.nowSeconds
        let userKey = "user:" + UserRecord.key(for: username)
        let addressKey = "addr:" + services.clientAddress(request, peer: context.peerAddress)
        let throttles = [(services.usernameThrottle, userKey), (services.addressThrottle, addressKey)]
        let waits = throttles.compactMap { throttle, key in throttle.retryAfter(key, now: now) }
        if let wait = waits.max() { throw APIError.tooManyAttempts(retryAfter: wait) }

        guard let user = try await verifiedUser(username: username, code: input.otp, now: now) else {
            for (throttle, key) in throttles { throttle.recordFailure(key, now: now) }
            throw APIError.invalidPassword
        }
        services.usernameThrottle.recordSuccess(userKey)

        let nowMillis = services.nowMillis
        let session = DeviceSessionRecord(
            id: UUID().uuidString.lowercased(), userID: user.id, name: deviceName(input.deviceName, request),
            createdAt: nowMillis, refreshTokenID: UUID().uuidString.lowercased())
        try await services.storage.sessions.create(session)
        if services.settings.sessionPolicy == .single {
            try await services.storage.sessions.revokeAll(userID: user.id, keeping: session.id, notBefore: nil, now: nowMillis)
        }
        let pair = try await services.tokens.issuePair(
            userID: user.id, username: user.username, sessionID: session.id, refreshID: session.refreshTokenID, now: now)
        return JSONBody.response(pair)
    }

    /// The user, when `code` is a current code of theirs that was never used before.
    private func verifiedUser(username: String, code: String, now: Int64) async throws -> UserRecord? {
        guard !username.isEmpty, let user = try await services.storage.accounts.user(username: username),
            let secret = try? services.secrets.open(user.otpSecretSealed, userID: user.id),
            let step = try TOTP(secret: secret).matchingStep(for: code.trimmingCharacters(in: .whitespaces), at: now),
            try await services.storage.accounts.consumeOTPStep(userID: user.id, step: step)
        else { return nil }
        return user
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(RefreshInput.self, context: context)
        let now = services.nowSeconds
        let claims: TokenClaims
        do {
            claims = try await services.tokens.verify(input.refresh.trimmingCharacters(in: .whitespaces), as: .refresh, now: now)
        } catch {
            throw error == .expired ? APIError.refreshExpired : APIError.invalidToken
        }
        let sessions = services.storage.sessions
        guard !sessions.revocations.isRevoked(userID: claims.sub, sessionID: claims.sid, issuedAt: claims.iat),
            let member = services.storage.directory.member(id: claims.sub)
        else { throw APIError.refreshBlacklisted }
        let next = UUID().uuidString.lowercased()
        let rotation = try await sessions.rotate(
            sessionID: claims.sid, userID: claims.sub, presented: claims.jti, next: next, now: services.nowMillis)
        guard rotation == .rotated else {
            if rotation == .reused {
                context.logger.warning("Refresh token reused: device session revoked", metadata: ["session": "\(claims.sid)"])
            }
            throw APIError.refreshBlacklisted
        }
        let pair = try await services.tokens.issuePair(
            userID: member.id, username: member.username, sessionID: claims.sid, refreshID: next, now: now)
        return JSONBody.response(pair)
    }

    @Sendable func decode(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let claims = context.identity.claims
        return JSONBody.response(
            DecodedTokenOutput(username: context.identity.username, exp: claims.exp, iat: claims.iat, type: claims.type.rawValue))
    }

    /// A name the user recognises in their device list: what the client says, else its User-Agent.
    private func deviceName(_ given: String?, _ request: Request) -> String {
        // A device name is a courtesy, so control characters are dropped rather than refused.
        let printable = given.map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.properties.generalCategory != .control })) }
        let name = printable?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !name.isEmpty { return String(name.prefix(64)) }
        return DeviceName.from(userAgent: request.headers[.userAgent])
    }
}
