import App
import ArgumentParser
import Hummingbird
import Storage

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the service (the default command).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let settings = try await settings.load()
        try DataFolder.prepare(settings.dataDir)
        // Held until the process ends: `stracker restore` refuses to replace a database in use.
        let lock = try DataFolder.lock(settings.dataDir)
        let app = try await buildApplication(settings: settings)
        try await app.runService()
        withExtendedLifetime(lock) {}
    }
}
