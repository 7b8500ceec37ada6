import Foundation
import App
import ArgumentParser
import Storage

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database, then exit.")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let settings = try await settings.load()
        let database = try StrackerDatabase.open(settings: settings)
        for migration in try database.appliedMigrations() {
            print("applied: \(migration)")
        }
        print("Database is up to date: \(settings.databasePath)")
        try database.close()
    }
}

extension StrackerDatabase {
    static func open(settings: AppSettings) throws -> StrackerDatabase {
        try DataFolder.prepare(settings.dataDir)
        return try StrackerDatabase(path: settings.databasePath)
    }
}
