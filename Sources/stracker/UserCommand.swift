import Foundation
import App
import ArgumentParser
import Storage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Look after accounts.", subcommands: [List.self, SignOut.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their household and role.")
        @OptionGroup var settings: SettingsOptions

        func run() async throws {
            let database = try StrackerDatabase.open(settings: try await settings.load())
            let stores = try Stores(database: database)
            for user in try await stores.accounts.allUsers() {
                print("\(user.username)\t\(user.role.rawValue)\thousehold \(user.householdId)")
            }
            try database.close()
        }
    }

    struct SignOut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-out", abstract: "Sign a user out of every device (a running service refuses their tokens from the next request).")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            let database = try StrackerDatabase.open(settings: try await settings.load())
            let stores = try Stores(database: database)
            guard let user = try await stores.accounts.user(username: username) else {
                throw ValidationError("No user named \(username)")
            }
            let now = Int64(Date().timeIntervalSince1970)
            try await stores.sessions.revokeAll(userId: user.id, keeping: nil, notBefore: now + 1, now: now * 1000)
            print("Signed \(user.username) out of every device")
            try database.close()
        }
    }
}
