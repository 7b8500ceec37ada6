import App
import ArgumentParser

@main
struct Stracker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stracker",
        abstract: "A self-hosted, passwordless budget service for families.",
        subcommands: [Serve.self, Migrate.self, Backup.self, UserCommand.self, Healthcheck.self],
        defaultSubcommand: Serve.self)
}
