import App
import ArgumentParser

/// The settings given on the command line: the options of `AppSettings.table`, each as
/// `--option value` or `--option=value`. They are taken out of the arguments before
/// ArgumentParser reads the subcommand's own (it cannot declare options from a table), and
/// swift-configuration reads them, so each setting is written once.
enum SettingArguments {
    static let options = Set(AppSettings.table.map(\.option))
    /// Options a subcommand declares under a setting's name: after that subcommand they are its own.
    /// (`stracker tls self-signed --host 192.168.1.20` names the certificate's host, not HOST.)
    static let subcommandOptions: [String: Set<String>] = ["tls": ["--host"]]

    static func split(_ arguments: [String]) -> (settings: [String], rest: [String]) {
        var settings: [String] = []
        var rest: [String] = []
        var subcommand: String?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if argument == "--" {
                rest += arguments[index...]
                break
            } else if options.contains(name), !(subcommand.flatMap { subcommandOptions[$0] }?.contains(name) ?? false) {
                settings.append(argument)
                if !argument.contains("="), index + 1 < arguments.endIndex {
                    settings.append(arguments[index + 1])
                    index += 1
                }
            } else {
                if subcommand == nil, !argument.hasPrefix("-") { subcommand = argument }
                rest.append(argument)
            }
            index += 1
        }
        return (settings, rest)
    }

    /// The list `stracker --help` shows.
    static var help: String {
        "Settings (each also an environment variable, or a line of .env):\n"
            + AppSettings.table.map { "  \($0.option) (\($0.environmentName)): \($0.help)" }.joined(separator: "\n")
    }
}

/// Lets a subcommand read the settings (the command line's options, environment, `.env`).
struct SettingsOptions: ParsableArguments {
    func load() async throws -> AppSettings {
        do {
            return try await AppSettings.load(arguments: SettingArguments.split(Array(CommandLine.arguments.dropFirst())).settings)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
