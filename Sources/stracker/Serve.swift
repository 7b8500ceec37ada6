import App
import ArgumentParser
import Hummingbird

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the service (the default command).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let app = try await buildApplication(settings: try await settings.load())
        try await app.runService()
    }
}
