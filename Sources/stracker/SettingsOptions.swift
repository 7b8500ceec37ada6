import App
import ArgumentParser

/// Every setting as a command-line option; each wins over the environment and .env.
struct SettingsOptions: ParsableArguments {
    @Option(help: "Address to listen on (HOST, default 0.0.0.0).") var host: String?
    @Option(help: "Port to listen on (PORT, default 8080).") var port: String?
    @Option(help: "Folder of the database and key file (DATA_DIR, default ./data).") var dataDir: String?
    @Option(help: "Token signing secret (JWT_SECRET, default: generated into DATA_DIR/keys.json).") var jwtSecret: String?
    @Option(help: "OTP secret encryption key (SECRET_KEY, default: generated into DATA_DIR/keys.json).") var secretKey: String?
    @Option(name: .customLong("access-ttl"), help: "Access token lifetime in seconds (ACCESS_TTL, default 1800).") var accessTTL: String?
    @Option(name: .customLong("refresh-ttl"), help: "Refresh token lifetime in seconds (REFRESH_TTL, default 604800).") var refreshTTL: String?
    @Option(help: "multi or single (SESSION_POLICY, default multi).") var sessionPolicy: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (LOG_LEVEL, default info).") var logLevel: String?
    @Option(help: "Comma-separated origins allowed to call the API (CORS_ORIGINS, default none).") var corsOrigins: String?
    @Option(help: "Comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted (TRUSTED_PROXIES).") var trustedProxies: String?
    @Option(help: "Folder of the web app (WEB_DIR, default ./web).") var webDir: String?
    @Option(help: "Currency of new households (CURRENCY, default EUR).") var currency: String?
    @Option(help: "Period start day 1-28 of new households (PERIOD_START_DAY, default 1).") var periodStartDay: String?
    @Option(help: "IANA time zone of new households (TIME_ZONE, default the server's).") var timeZone: String?
    @Option(name: .customLong("invite-ttl"), help: "Invite code lifetime in seconds (INVITE_TTL, default 86400).") var inviteTTL: String?
    @Option(help: "First sign-in lockout in seconds, doubling each time (LOGIN_LOCKOUT, default 60).") var loginLockout: String?

    /// The given options under the keys `AppSettings` reads.
    var values: [String: String] {
        let all: [String: String?] = [
            "host": host, "port": port, "dataDir": dataDir, "jwtSecret": jwtSecret, "secretKey": secretKey,
            "accessTTL": accessTTL, "refreshTTL": refreshTTL, "sessionPolicy": sessionPolicy, "logLevel": logLevel,
            "corsOrigins": corsOrigins, "trustedProxies": trustedProxies, "webDir": webDir, "currency": currency,
            "periodStartDay": periodStartDay, "timeZone": timeZone, "inviteTTL": inviteTTL, "loginLockout": loginLockout,
        ]
        return all.compactMapValues { $0 }
    }

    func load() async throws -> AppSettings {
        do {
            return try await AppSettings.load(commandLine: values)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
