import App
import ArgumentParser
import Storage

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the database by a backup (the service must be stopped).",
        discussion: """
            The backup is checked first (SQLite's integrity check, and a schema this version knows). \
            The database it replaces is kept beside it as <database>.before-restore.
            """)

    @OptionGroup var settings: SettingsOptions
    @Argument(help: "A file written by `stracker backup`.") var source: String

    func run() async throws {
        let settings = try await settings.load()
        try DataFolder.prepare(settings.dataDir)
        let lock = try DataFolder.lock(settings.dataDir)
        defer { withExtendedLifetime(lock) {} }
        let report = try StrackerDatabase.restore(from: source, to: settings.databasePath, receipts: settings.receiptsPath)
        print("Restored \(source) into \(settings.databasePath) (\(report.spendings) spendings, \(report.users) users, \(report.receipts) receipt files)")
        if let kept = report.replacedCopy { print("The database it replaced is kept as \(kept)") }
    }
}
