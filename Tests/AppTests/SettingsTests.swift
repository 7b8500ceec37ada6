import App
import Configuration
import Foundation
import Testing

@Suite struct SettingsTests {
    /// The settings read from these environment variables, named by their table keys.
    func settings(_ values: [String: String]) throws -> AppSettings {
        let names = Dictionary(uniqueKeysWithValues: AppSettings.table.map { ($0.key, $0.environmentName) })
        let variables = Dictionary(uniqueKeysWithValues: values.map { (names[$0.key]!, $0.value) })
        return try AppSettings(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: variables)))
    }

    @Test func theCommandLineWinsOverTheEnvironment() async throws {
        let read = try await AppSettings.load(arguments: ["--port", "7070", "--cors-origins=https://a.example"], environmentFile: "/nonexistent/.env")
        #expect(read.port == 7070)
        #expect(read.corsOrigins == ["https://a.example"])
    }

    @Test func theTableIsWhatDotEnvExampleDocuments() throws {
        let example = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/AppTests/SettingsTests.swift", with: ".env.example"), encoding: .utf8)
        let documented = Set(example.split(separator: "\n").compactMap { line -> String? in
            let text = line.hasPrefix("#") ? line.dropFirst() : line[...]
            guard let name = text.split(separator: "=", maxSplits: 1).first, text.contains("="),
                name.allSatisfy({ $0.isUppercase || $0 == "_" })
            else { return nil }
            return String(name)
        })
        // Read by docker-compose.yml, not by the service.
        let composeOnly: Set<String> = ["STRACKER_DOMAIN"]
        #expect(documented == Set(AppSettings.table.map(\.environmentName)).union(composeOnly))
        let compose = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/AppTests/SettingsTests.swift", with: "docker-compose.yml"), encoding: .utf8)
        for name in composeOnly { #expect(compose.contains("${\(name)")) }
        #expect(Set(AppSettings.table.map(\.key)).count == AppSettings.table.count)
    }

    @Test func namesFollowTheProviders() {
        let names = Dictionary(uniqueKeysWithValues: AppSettings.table.map { ($0.key, ($0.environmentName, $0.option)) })
        #expect(names["dataDir"]! == ("DATA_DIR", "--data-dir"))
        #expect(names["accessTTL"]! == ("ACCESS_TTL", "--access-ttl"))
        #expect(names["periodStartDay"]! == ("PERIOD_START_DAY", "--period-start-day"))
    }

    @Test func valuesAreReadTypedAndBlankMeansUnset() throws {
        let read = try settings([
            "port": "9090", "sessionPolicy": "SINGLE", "logLevel": "debug", "corsOrigins": "https://a.example, https://b.example,",
            "currency": "jpy", "periodStartDay": "28", "jwtSecret": "  ", "timeZone": "Europe/Berlin",
        ])
        #expect(read.port == 9090)
        #expect(read.sessionPolicy == .single)
        #expect(read.logLevel == .debug)
        #expect(read.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(read.currency == "JPY")
        #expect(read.periodStartDay == 28)
        #expect(read.jwtSecret == nil)
        #expect(read.timeZone == "Europe/Berlin")
        #expect(try settings([:]).port == AppSettings().port)
    }

    @Test(arguments: [
        ("port", "abc", "PORT"), ("port", "70000", "PORT"), ("accessTTL", "5", "ACCESS_TTL"), ("sessionPolicy", "both", "SESSION_POLICY"),
        ("logLevel", "loud", "LOG_LEVEL"), ("currency", "EURO", "CURRENCY"), ("periodStartDay", "29", "PERIOD_START_DAY"),
        ("timeZone", "Mars/Olympus", "TIME_ZONE"), ("trustedProxies", "10.0.0.1,nope", "TRUSTED_PROXIES"),
    ])
    func anUnreadableValueStopsStartUpNamingTheVariable(key: String, value: String, variable: String) {
        #expect {
            _ = try settings([key: value])
        } throws: { error in
            (error as? SettingsError)?.key == variable
        }
    }
}
