import App
import ArgumentParser
import Foundation

struct TLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls", abstract: "Certificates for serving HTTPS.", subcommands: [SelfSigned.self])

    struct SelfSigned: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "self-signed",
            abstract: "Make a private CA (once) and a server certificate it signs, in DATA_DIR/tls.",
            discussion: """
                Trust DATA_DIR/tls/ca.pem on each phone once (README, "HTTPS at home"); run this again \
                with more names, or before the certificate ends, and the same CA signs the new one.
                """)

        @OptionGroup var settings: SettingsOptions
        @Option(name: .customLong("host"), help: "A name or IP address the phones use to reach the server (repeat for each).")
        var hosts: [String] = []
        @Option(help: "Days the server certificate is valid, at most \(SelfSignedCertificates.maximumDays).")
        var days = SelfSignedCertificates.maximumDays

        func run() async throws {
            let settings = try await settings.load()
            let folder = URL(fileURLWithPath: settings.dataDir).appendingPathComponent("tls").path
            let written: SelfSignedCertificates.Written
            do {
                written = try SelfSignedCertificates.write(into: folder, hosts: hosts, days: days)
            } catch let error as SelfSignedError {
                throw ValidationError(error.description)
            }
            print("""
                \(written.reusedCA ? "Kept the CA" : "Made a new CA"): \(written.caFile) (its key: \(written.caKeyFile), mode 0600)
                CA SHA-256 fingerprint: \(written.caFingerprint)
                Server certificate for \(written.names.joined(separator: ", ")), valid until \(written.notValidAfter.ISO8601Format()):
                  \(written.certFile)
                  \(written.keyFile) (mode 0600)

                Serve HTTPS with these lines in .env (or as environment variables), then restart:
                  TLS_CERT_FILE=\(written.certFile)
                  TLS_KEY_FILE=\(written.keyFile)
                A running server with these settings already picks the new certificate up within 10 seconds.

                On each phone, install \(written.caFile) as a trusted CA once (README, "HTTPS at home");
                compare the fingerprint above with the one the phone shows.
                """)
        }
    }
}
