import Foundation
import Logging

/// Every setting of the service, with its default. `.env.example` documents each one.
public struct AppSettings: Sendable {
    public enum SessionPolicy: String, Sendable {
        /// Each login adds a device session.
        case multi
        /// A new login signs the user's other devices out.
        case single
    }

    public enum Registration: String, Sendable {
        /// Anyone who reaches the server may sign up.
        case open
        /// Only with an invite code from a household owner.
        case invite
        /// No one may sign up (existing users still sign in).
        case closed
    }

    public var host = "0.0.0.0"
    public var port = 8080
    public var dataDir = "./data"
    /// Signing key for tokens; when nil, a random key kept in DATA_DIR/keys.json.
    public var jwtSecret: String?
    /// Key for encrypting OTP secrets at rest; when nil, a random key kept in DATA_DIR/keys.json.
    public var secretKey: String?
    /// Seconds an access token lives.
    public var accessTTL = 30 * 60
    /// Seconds a refresh token lives.
    public var refreshTTL = 7 * 24 * 3600
    public var sessionPolicy = SessionPolicy.multi
    public var logLevel = Logger.Level.info
    /// Origins allowed to call the API from another site; empty: same origin only.
    public var corsOrigins: [String] = []
    /// Peers whose X-Forwarded-For is believed (IP addresses or CIDR ranges).
    public var trustedProxies: [String] = []
    /// The PWA's static files.
    public var webDir = "./web"
    /// For new households.
    public var currency = "EUR"
    public var periodStartDay = 1
    public var timeZone = TimeZone.current.identifier
    /// Seconds an invite code stays valid.
    public var inviteTTL = 24 * 3600
    /// Seconds of the first sign-in lockout (after 5 wrong codes for a username or 30 from an
    /// address in 15 minutes); each further lockout in a row doubles it.
    public var loginLockout = 60
    public var registration = Registration.open
    /// Sign-ups (secrets generated, registrations) one client address may make per hour.
    public var signupLimit = 20
    /// Seconds a connection may stay open without a request in progress: before its first
    /// request is complete (a client that sends nothing, or headers byte by byte) or between
    /// requests on a kept-alive connection.
    public var idleTimeout = 30
    /// Seconds a request may take to arrive once its head has (a body that never comes).
    public var requestTimeout = 30
    /// Connections served at once; more are closed as soon as they are accepted.
    public var maxConnections = 512
    /// Seconds between keep-alive comments on an open GET /events stream (proxies close a
    /// connection that says nothing for a minute or so).
    public var eventHeartbeat = 20
    /// PEM certificate chain (the server's certificate first) and private key; with both, the
    /// service speaks HTTPS on `port`.
    public var tlsCertFile: String?
    public var tlsKeyFile: String?
    /// A second, plain-HTTP port that only redirects to HTTPS; 0: none.
    public var httpRedirectPort = 0
    /// Seconds browsers remember to use HTTPS only (Strict-Transport-Security); 0: no header.
    public var hstsMaxAge = 31_536_000

    public init() {}

    public var servesTLS: Bool { tlsCertFile != nil && tlsKeyFile != nil }

    /// The rules that tie settings together, checked once all are read.
    func checkCombinations() throws {
        if (tlsCertFile == nil) != (tlsKeyFile == nil) {
            let missing = tlsCertFile == nil ? "TLS_CERT_FILE" : "TLS_KEY_FILE"
            throw SettingsError(key: missing, value: "", expected: "a file: TLS_CERT_FILE and TLS_KEY_FILE are set together or not at all")
        }
        if httpRedirectPort != 0 {
            guard servesTLS else {
                throw SettingsError(key: "HTTP_REDIRECT_PORT", value: "\(httpRedirectPort)", expected: "0 unless TLS_CERT_FILE and TLS_KEY_FILE are set")
            }
            guard httpRedirectPort != port else {
                throw SettingsError(key: "HTTP_REDIRECT_PORT", value: "\(httpRedirectPort)", expected: "a port other than PORT")
            }
        }
    }

    /// Where the SQLite database lives.
    public var databasePath: String { (dataDir as NSString).appendingPathComponent("stracker.sqlite") }
    /// Receipt files, named by the SHA-256 of their bytes.
    public var receiptsPath: String { (dataDir as NSString).appendingPathComponent("receipts") }
}

/// A setting that could not be read; the service refuses to start with it.
public struct SettingsError: Error, CustomStringConvertible {
    public let key: String
    public let value: String
    public let expected: String

    public var description: String { "Invalid \(key)=\(value): expected \(expected)" }
}
