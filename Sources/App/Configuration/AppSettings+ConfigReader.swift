import Configuration
import Foundation
import Logging
import SystemPackage

extension AppSettings {
    /// Reads the settings from, in order of precedence: `commandLine` (already parsed options),
    /// the process environment, the `.env` file in the working directory, then the defaults.
    public static func load(commandLine: [String: String] = [:], environmentFile: String = ".env") async throws -> AppSettings {
        var providers: [any ConfigProvider] = []
        if !commandLine.isEmpty {
            let values = Dictionary(uniqueKeysWithValues: commandLine.map { key, value in
                (AbsoluteConfigKey([key]), ConfigValue(.string(value), isSecret: key.lowercased().contains("secret")))
            })
            providers.append(InMemoryProvider(name: "command line", values: values))
        }
        providers.append(EnvironmentVariablesProvider(secretsSpecifier: .specific(["JWT_SECRET", "SECRET_KEY"])))
        providers.append(
            try await EnvironmentVariablesProvider(
                environmentFilePath: FilePath(environmentFile), allowMissing: true,
                secretsSpecifier: .specific(["JWT_SECRET", "SECRET_KEY"])))
        return try AppSettings(reader: ConfigReader(providers: providers))
    }

    public init(reader: ConfigReader) throws {
        self.init()
        func text(_ key: String) -> String? {
            guard let value = reader.string(forKey: ConfigKey([key]), isSecret: key.contains("ecret")) else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let value = text(key) else { return nil }
            guard let number = Int(value), range.contains(number) else {
                throw SettingsError(key: key, value: value, expected: "a whole number in \(range)")
            }
            return number
        }
        func list(_ key: String) -> [String]? {
            text(key).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }

        host = text("host") ?? host
        port = try integer("port", in: 0...65535) ?? port
        dataDir = text("dataDir") ?? dataDir
        jwtSecret = text("jwtSecret")
        secretKey = text("secretKey")
        accessTTL = try integer("accessTTL", in: 10...86_400) ?? accessTTL
        refreshTTL = try integer("refreshTTL", in: 60...31_536_000) ?? refreshTTL
        if let value = text("sessionPolicy") {
            guard let policy = SessionPolicy(rawValue: value.lowercased()) else {
                throw SettingsError(key: "sessionPolicy", value: value, expected: "multi or single")
            }
            sessionPolicy = policy
        }
        if let value = text("logLevel") {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw SettingsError(key: "logLevel", value: value, expected: "trace, debug, info, notice, warning, error or critical")
            }
            logLevel = level
        }
        corsOrigins = list("corsOrigins") ?? corsOrigins
        trustedProxies = list("trustedProxies") ?? trustedProxies
        for proxy in trustedProxies where IPRange(proxy) == nil {
            throw SettingsError(key: "trustedProxies", value: proxy, expected: "IP addresses or CIDR ranges")
        }
        webDir = text("webDir") ?? webDir
        if let value = text("currency") {
            guard value.count == 3, value.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw SettingsError(key: "currency", value: value, expected: "an ISO 4217 code such as EUR")
            }
            currency = value.uppercased()
        }
        periodStartDay = try integer("periodStartDay", in: 1...28) ?? periodStartDay
        if let value = text("timeZone") {
            guard TimeZone(identifier: value) != nil else {
                throw SettingsError(key: "timeZone", value: value, expected: "an IANA time zone such as Europe/Berlin")
            }
            timeZone = value
        }
        inviteTTL = try integer("inviteTTL", in: 60...2_592_000) ?? inviteTTL
        loginLockout = try integer("loginLockout", in: 1...86_400) ?? loginLockout
    }
}
