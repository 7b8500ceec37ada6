import App
import ArgumentParser
import Storage

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to a file, even while the service runs.")

    @OptionGroup var settings: SettingsOptions
    @Argument(help: "The file to write.") var destination: String

    func run() async throws {
        let settings = try await settings.load()
        let database = try StrackerDatabase.open(settings: settings)
        let counts = try database.backup(to: destination, receipts: settings.receiptsPath)
        try database.close()
        print("Backed up to \(destination) (with \(counts.receipts) receipt files)")
        if counts.missing > 0 { print("\(counts.missing) receipt files were removed while it ran (their spendings are gone too)") }
    }
}
