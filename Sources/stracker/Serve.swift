import App
import ArgumentParser
import Hummingbird
import Storage

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the service (the default command).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        ProcessMemory.limitMallocArenas()
        let settings = try await settings.load()
        try DataFolder.prepare(settings.dataDir)
        // Held until the process ends: `stracker restore` refuses to replace a database in use.
        let lock = try DataFolder.lock(settings.dataDir)
        // Once it is serving, what starting touched of the executable is given back (see
        // ProcessMemory): the requests bring back the little they use. After 10 s without a
        // request, what they brought back and the heap they freed go back too.
        let app = try await buildApplication(
            settings: settings, onServing: { ProcessMemory.releaseCodePages() },
            quiet: .seconds(10), onQuiet: { ProcessMemory.releaseIdleMemory() })
        try await app.runService()
        withExtendedLifetime(lock) {}
    }
}
