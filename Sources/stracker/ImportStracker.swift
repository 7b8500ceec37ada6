import App
import ArgumentParser

struct ImportStracker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-stracker",
        abstract: "Import a database of the older STracker app (the service must be stopped).",
        discussion: """
            Each user keeps their OTP secret (their authenticator entry keeps working) and becomes the \
            owner of a household of their own (period start day 15, the configured currency and time zone); \
            funnel and spending ids are kept. Everything is written in one transaction, and running it \
            again imports nothing new. The report lists every row that was rounded, changed to fit or left out.
            """)

    @OptionGroup var settings: SettingsOptions
    @Argument(help: "The older app's SQLite database (read, never changed).") var oldDatabase: String
    @Flag(help: "Report what would be imported, and import nothing.") var dryRun = false

    func run() async throws {
        let report = try OldAppImporter.run(oldDatabase: oldDatabase, settings: try await settings.load(), dryRun: dryRun)
        if let version = report.alembicVersion { print("Old database: schema version \(version)") }
        for (title, lines) in [("Rounded", report.rounded), ("Changed to fit", report.adjusted), ("Skipped", report.skipped)] where !lines.isEmpty {
            print("\(title):")
            for line in lines { print("  \(line)") }
        }
        print((report.dryRun ? "Would import: " : "Imported: ") + report.counts)
    }
}
