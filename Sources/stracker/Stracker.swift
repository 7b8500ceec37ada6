import App
import ArgumentParser

@main
struct Stracker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stracker",
        abstract: "A self-hosted, passwordless budget service for families.",
        discussion: SettingArguments.help,
        subcommands: [Serve.self, Migrate.self, ImportStracker.self, Backup.self, Restore.self, UserCommand.self, Healthcheck.self, TLSCommand.self],
        defaultSubcommand: Serve.self)

    /// Parses what is left once the settings' options are taken out (see `SettingArguments`).
    static func main() async {
        let rest = SettingArguments.split(Array(CommandLine.arguments.dropFirst())).rest
        do {
            var command = try parseAsRoot(rest)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
