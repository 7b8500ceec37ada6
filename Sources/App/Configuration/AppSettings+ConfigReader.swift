import Configuration
import Foundation
import SystemPackage

extension AppSettings {
    /// Reads the settings from, in order of precedence: the command line (`arguments`, the
    /// options of `AppSettings.table` in `--key value` or `--key=value` form), the process
    /// environment, the `.env` file in the working directory, then the defaults.
    public static func load(arguments: [String] = [], environmentFile: String = ".env") async throws -> AppSettings {
        let secrets = Set(table.filter(\.isSecret).map(\.environmentName))
        var providers: [any ConfigProvider] = []
        if !arguments.isEmpty {
            let options = Set(table.filter(\.isSecret).map(\.option))
            providers.append(CommandLineArgumentsProvider(arguments: ["stracker"] + arguments, secretsSpecifier: .specific(options)))
        }
        providers.append(EnvironmentVariablesProvider(secretsSpecifier: .specific(secrets)))
        providers.append(
            try await EnvironmentVariablesProvider(
                environmentFilePath: FilePath(environmentFile), allowMissing: true, secretsSpecifier: .specific(secrets)))
        return try AppSettings(reader: ConfigReader(providers: providers))
    }

    public init(reader: ConfigReader) throws {
        self.init()
        for setting in Self.table {
            guard let raw = reader.string(forKey: ConfigKey([setting.key]), isSecret: setting.isSecret),
                !raw.trimmingCharacters(in: .whitespaces).isEmpty
            else { continue }
            try setting.apply(SettingValue(setting: setting, reader: reader, raw: raw), &self)
        }
        try checkCombinations()
    }
}

