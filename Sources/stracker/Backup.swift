import App
import ArgumentParser
import Storage

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to a file, even while the service runs.")

    @OptionGroup var settings: SettingsOptions
    @Argument(help: "The file to write.") var destination: String

    func run() async throws {
        let database = try StrackerDatabase.open(settings: try await settings.load())
        try database.backup(to: destination)
        try database.close()
        print("Backed up to \(destination)")
    }
}
