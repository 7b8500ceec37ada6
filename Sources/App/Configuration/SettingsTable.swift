import Configuration
import Foundation
import Logging

/// One setting of the service, written once: its key (camelCase; the environment variable is its
/// SCREAMING_SNAKE_CASE form and the command-line option its kebab-case form, as
/// swift-configuration's providers spell them), what it is for, and how its value lands in
/// `AppSettings`. The command line, `--help`, the environment and `.env` all read this table,
/// and a test checks `.env.example` against it.
public struct Setting: Sendable {
    public let key: String
    public let help: String
    let isSecret: Bool
    let apply: @Sendable (SettingValue, inout AppSettings) throws -> Void

    init(_ key: String, _ help: String, isSecret: Bool = false, apply: @escaping @Sendable (SettingValue, inout AppSettings) throws -> Void) {
        self.key = key
        self.help = help
        self.isSecret = isSecret
        self.apply = apply
    }

    public var environmentName: String { WireJSON.wireKey(key).uppercased() }
    public var option: String { "--" + WireJSON.wireKey(key).replacingOccurrences(of: "_", with: "-") }
}

extension AppSettings {
    public static let table: [Setting] = [
        Setting("host", "Address to listen on (default 0.0.0.0).") { value, settings in settings.host = value.text },
        Setting("port", "Port to listen on (default 8080).") { value, settings in settings.port = try value.integer(in: 0...65535) },
        Setting("dataDir", "Folder of the database and key file (default ./data).") { value, settings in settings.dataDir = value.text },
        Setting("jwtSecret", "Token signing secret, at least 32 bytes (default: generated into DATA_DIR/keys.json).", isSecret: true) {
            value, settings in settings.jwtSecret = try value.secret()
        },
        Setting("secretKey", "OTP secret encryption key, at least 32 bytes (default: generated into DATA_DIR/keys.json).", isSecret: true) {
            value, settings in settings.secretKey = try value.secret()
        },
        Setting("accessTTL", "Access token lifetime in seconds (default 1800).") { value, settings in settings.accessTTL = try value.integer(in: 10...86_400) },
        Setting("refreshTTL", "Refresh token lifetime in seconds (default 604800).") { value, settings in
            settings.refreshTTL = try value.integer(in: 60...31_536_000)
        },
        Setting("sessionPolicy", "multi or single (default multi).") { value, settings in settings.sessionPolicy = try value.choice(expected: "multi or single") },
        Setting("logLevel", "trace, debug, info, notice, warning, error or critical (default info).") { value, settings in
            settings.logLevel = try value.choice(expected: "trace, debug, info, notice, warning, error or critical")
        },
        Setting("corsOrigins", "Comma-separated origins allowed to call the API (default none).") { value, settings in settings.corsOrigins = try value.list() },
        Setting("trustedProxies", "Comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted.") { value, settings in
            let proxies = try value.list()
            for proxy in proxies where IPRange(proxy) == nil {
                throw SettingsError(key: value.setting.environmentName, value: proxy, expected: "IP addresses or CIDR ranges")
            }
            settings.trustedProxies = proxies
        },
        Setting("webDir", "Folder of the web app (default ./web).") { value, settings in settings.webDir = value.text },
        Setting("currency", "Currency of new households (default EUR).") { value, settings in
            let code = value.text
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw SettingsError(key: value.setting.environmentName, value: code, expected: "an ISO 4217 code such as EUR")
            }
            settings.currency = code.uppercased()
        },
        Setting("periodStartDay", "Period start day 1-28 of new households (default 1).") { value, settings in
            settings.periodStartDay = try value.integer(in: 1...28)
        },
        Setting("timeZone", "IANA time zone of new households (default the server's).") { value, settings in
            let zone = value.text
            guard TimeZone(identifier: zone) != nil else {
                throw SettingsError(key: value.setting.environmentName, value: zone, expected: "an IANA time zone such as Europe/Berlin")
            }
            settings.timeZone = zone
        },
        Setting("inviteTTL", "Invite code lifetime in seconds (default 86400).") { value, settings in settings.inviteTTL = try value.integer(in: 60...2_592_000) },
        Setting("loginLockout", "First sign-in lockout in seconds, doubling each time (default 60).") { value, settings in
            settings.loginLockout = try value.integer(in: 1...86_400)
        },
        Setting("registration", "open, invite (an invite code is needed) or closed (default open).") { value, settings in
            settings.registration = try value.choice(expected: "open, invite or closed")
        },
        Setting("signupLimit", "Sign-up attempts per client address per hour (default 20).") { value, settings in
            settings.signupLimit = try value.integer(in: 1...1_000_000)
        },
        Setting("idleTimeout", "Seconds before a connection without a request in progress is closed (default 30).") { value, settings in
            settings.idleTimeout = try value.integer(in: 1...3600)
        },
        Setting("requestTimeout", "Seconds a request may take to arrive once its headers have (default 30).") { value, settings in
            settings.requestTimeout = try value.integer(in: 1...3600)
        },
        Setting("maxConnections", "Connections served at once; more are closed at once (default 512).") { value, settings in
            settings.maxConnections = try value.integer(in: 1...1_000_000)
        },
        Setting("eventHeartbeat", "Seconds between keep-alive comments on an open /events stream (default 20).") { value, settings in
            settings.eventHeartbeat = try value.integer(in: 1...300)
        },
        Setting("tlsCertFile", "PEM certificate chain; with TLS_KEY_FILE, serve HTTPS on PORT (default none: plain HTTP).") { value, settings in
            settings.tlsCertFile = value.text
        },
        Setting("tlsKeyFile", "PEM private key of TLS_CERT_FILE's certificate (default none).") { value, settings in settings.tlsKeyFile = value.text },
        Setting("httpRedirectPort", "Plain-HTTP port that redirects to HTTPS; 0: none (default 0).") { value, settings in
            settings.httpRedirectPort = try value.integer(in: 0...65535)
        },
        Setting("hstsMaxAge", "Strict-Transport-Security max-age in seconds over HTTPS; 0: no header (default 31536000).") { value, settings in
            settings.hstsMaxAge = try value.integer(in: 0...63_072_000)
        },
    ]
}

/// A setting that is set (blank counts as unset, as in a `.env` line left empty), read with
/// swift-configuration's typed accessors; a value they cannot convert stops start-up with a
/// `SettingsError` that names the variable and what it takes.
struct SettingValue {
    let setting: Setting
    let reader: ConfigReader
    let raw: String

    var key: ConfigKey { ConfigKey([setting.key]) }

    var text: String { raw.trimmingCharacters(in: .whitespaces) }

    /// A key as text: 32 bytes at least, the size of the HMAC-SHA256 and AES-256 keys it becomes
    /// (a shorter one can be guessed offline from any token).
    func secret() throws -> String {
        guard text.utf8.count >= 32 else {
            throw SettingsError(key: setting.environmentName, value: "(\(text.utf8.count) bytes)", expected: "at least 32 bytes, e.g. `openssl rand -base64 32`")
        }
        return text
    }

    func integer(in range: ClosedRange<Int>) throws -> Int {
        guard let value = try? reader.requiredInt(forKey: key), range.contains(value) else {
            throw SettingsError(key: setting.environmentName, value: raw, expected: "a whole number in \(range)")
        }
        return value
    }

    func choice<Value: RawRepresentable<String>>(expected: String) throws -> Value {
        guard let value = Value(rawValue: text.lowercased()) else {
            throw SettingsError(key: setting.environmentName, value: raw, expected: expected)
        }
        return value
    }

    func list() throws -> [String] {
        let items = (try? reader.requiredStringArray(forKey: key)) ?? [raw]
        // A provider may hand the whole "a, b" as one element or split it: normalise both.
        return items.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
