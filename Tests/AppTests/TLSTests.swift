import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import App

/// HTTPS: the self-signed pair `stracker tls self-signed` writes, the checks that stop start-up
/// on a pair that cannot serve, the reload of a renewed pair, HSTS and the redirect port.
@Suite struct TLSTests {
    /// A fresh folder, removed after `body`.
    func inFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await body(folder)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func expectSetupError(_ certFile: String, _ keyFile: String, now: Date = Date(), mentioning fragment: String) {
        #expect {
            _ = try TLSIdentity.load(certFile: certFile, keyFile: keyFile, now: now)
        } throws: { error in
            guard let error = error as? TLSSetupError else { return false }
            return error.description.contains(fragment)
        }
    }

    // MARK: stracker tls self-signed

    @Test func selfSignedWritesACAAndAServerCertificateForTheNames() async throws {
        try await inFolder { folder in
            let written = try SelfSignedCertificates.write(into: folder, hosts: ["192.168.1.20", "Budget.Home.Arpa", "fd00::20"], days: 30)
            #expect(!written.reusedCA)
            #expect(try mode(written.keyFile) == 0o600)
            #expect(try mode(written.caKeyFile) == 0o600)
            #expect(try mode(written.certFile) == 0o644)
            let identity = try TLSIdentity.load(certFile: written.certFile, keyFile: written.keyFile)
            #expect(identity.names == ["192.168.1.20", "budget.home.arpa", "fd00::20"])
            #expect(identity.chain.count == 2)  // the server's certificate, then the CA's
            #expect(abs(identity.notValidAfter.timeIntervalSinceNow - 30 * 86_400) < 60)
            #expect(written.caFingerprint.split(separator: ":").count == 32)
        }
    }

    @Test func aSecondRunKeepsTheCASoThatPhonesKeepTrustingIt() async throws {
        try await inFolder { folder in
            let first = try SelfSignedCertificates.write(into: folder, hosts: ["budget.lan"], days: 30)
            let firstCA = try String(contentsOfFile: first.caFile, encoding: .utf8)
            let firstCert = try String(contentsOfFile: first.certFile, encoding: .utf8)
            let second = try SelfSignedCertificates.write(into: folder, hosts: ["budget.lan", "10.0.0.2"], days: 60)
            #expect(second.reusedCA)
            #expect(second.caFingerprint == first.caFingerprint)
            #expect(try String(contentsOfFile: second.caFile, encoding: .utf8) == firstCA)
            #expect(try String(contentsOfFile: second.certFile, encoding: .utf8) != firstCert)
            #expect(try TLSIdentity.load(certFile: second.certFile, keyFile: second.keyFile).names == ["budget.lan", "10.0.0.2"])
        }
    }

    @Test(arguments: [
        ([String](), 30, "name at least one --host"), (["bad name"], 30, "neither an IP address nor a host name"),
        (["-x.lan"], 30, "neither"), (["a..b"], 30, "neither"), (["ok.lan"], 0, "--days"), (["ok.lan"], 826, "--days"),
    ])
    func selfSignedRefusesWhatNoPhoneCouldUse(hosts: [String], days: Int, fragment: String) async throws {
        try await inFolder { folder in
            #expect {
                try SelfSignedCertificates.write(into: folder, hosts: hosts, days: days)
            } throws: { error in
                (error as? SelfSignedError)?.description.contains(fragment) == true
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/server-key.pem"))
        }
    }

    // MARK: What stops start-up

    @Test func aPairThatCannotServeIsRefusedSayingWhichFileAndWhy() async throws {
        try await inFolder { folder in
            let good = try SelfSignedCertificates.write(into: folder + "/a", hosts: ["a.lan"], days: 30)
            let other = try SelfSignedCertificates.write(into: folder + "/b", hosts: ["b.lan"], days: 30)
            try "hello".write(toFile: folder + "/text.pem", atomically: true, encoding: .utf8)
            try Data([0x30, 0x82, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: folder + "/binary.der"))

            expectSetupError(folder + "/missing.pem", good.keyFile, mentioning: "missing.pem does not exist (TLS_CERT_FILE)")
            expectSetupError(good.certFile, folder + "/missing.pem", mentioning: "does not exist (TLS_KEY_FILE)")
            expectSetupError(folder, good.keyFile, mentioning: "cannot be read")
            expectSetupError(folder + "/text.pem", good.keyFile, mentioning: "holds no PEM certificate")
            expectSetupError(folder + "/binary.der", good.keyFile, mentioning: "is not PEM text")
            expectSetupError(good.certFile, folder + "/text.pem", mentioning: "is not an unencrypted PEM private key")
            expectSetupError(good.certFile, good.certFile, mentioning: "is not an unencrypted PEM private key")
            expectSetupError(good.certFile, other.keyFile, mentioning: "is not the key of the certificate")
            expectSetupError(good.certFile, good.keyFile, now: Date().addingTimeInterval(31 * 86_400), mentioning: "expired on")
            expectSetupError(good.certFile, good.keyFile, now: Date().addingTimeInterval(-2 * 3600), mentioning: "is not valid before")
            #expect(try TLSIdentity.load(certFile: good.certFile, keyFile: good.keyFile).names == ["a.lan"])
        }
    }

    @Test func buildingTheServiceWithABadPairFails() async throws {
        try await inFolder { folder in
            let good = try SelfSignedCertificates.write(into: folder + "/tls", hosts: ["a.lan"], days: 30)
            var settings = AppSettings()
            settings.dataDir = folder
            settings.logLevel = .error
            settings.tlsCertFile = good.certFile
            settings.tlsKeyFile = folder + "/nope.pem"
            await #expect(throws: TLSSetupError.self) { _ = try await buildApplication(settings: settings) }
        }
    }

    // MARK: Reload

    @Test func aRenewedPairIsServedAndABrokenOneRefused() async throws {
        try await inFolder { folder in
            let first = try SelfSignedCertificates.write(into: folder, hosts: ["a.lan"], days: 30)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let reloader = try await CertificateReloader(certFile: first.certFile, keyFile: first.keyFile, logger: logger)
            let served = { reloader.identity.chain[0] }
            let original = served()

            reloader.reloadIfChanged()  // nothing changed: the same identity, not even read again
            #expect(served() == original)

            _ = try SelfSignedCertificates.write(into: folder, hosts: ["a.lan", "b.lan"], days: 30)
            reloader.reloadIfChanged()
            #expect(served() != original)
            #expect(reloader.identity.names == ["a.lan", "b.lan"])
            let renewed = served()

            // Half a renewal: a new certificate whose key has not arrived yet.
            let key = try String(contentsOfFile: first.keyFile, encoding: .utf8)
            _ = try SelfSignedCertificates.write(into: folder + "/next", hosts: ["c.lan"], days: 30)
            try FileManager.default.removeItem(atPath: first.certFile)
            try FileManager.default.copyItem(atPath: folder + "/next/server.pem", toPath: first.certFile)
            #expect(reloader.reload(trigger: "test") == false)
            #expect(served() == renewed)
            #expect(try String(contentsOfFile: first.keyFile, encoding: .utf8) == key)

            // The key arrives: served.
            try FileManager.default.removeItem(atPath: first.keyFile)
            try FileManager.default.copyItem(atPath: folder + "/next/server-key.pem", toPath: first.keyFile)
            reloader.reloadIfChanged()
            #expect(reloader.identity.names == ["c.lan"])
        }
    }

    // MARK: Settings

    @Test(arguments: [
        (["TLS_CERT_FILE": "/x/cert.pem"], "TLS_KEY_FILE"), (["TLS_KEY_FILE": "/x/key.pem"], "TLS_CERT_FILE"),
        (["HTTP_REDIRECT_PORT": "8081"], "HTTP_REDIRECT_PORT"),
        (["TLS_CERT_FILE": "/c", "TLS_KEY_FILE": "/k", "PORT": "8443", "HTTP_REDIRECT_PORT": "8443"], "HTTP_REDIRECT_PORT"),
        (["HSTS_MAX_AGE": "-1"], "HSTS_MAX_AGE"),
    ])
    func settingsThatDoNotGoTogetherStopStartUp(variables: [String: String], named: String) {
        #expect {
            _ = try AppSettings(reader: .init(provider: EnvironmentVariablesProvider(environmentVariables: variables)))
        } throws: { error in
            (error as? SettingsError)?.key == named
        }
    }

    @Test func bothFilesTurnHTTPSOn() throws {
        let read = try AppSettings(reader: .init(provider: EnvironmentVariablesProvider(environmentVariables: [
            "TLS_CERT_FILE": "/c.pem", "TLS_KEY_FILE": "/k.pem", "HTTP_REDIRECT_PORT": "8080", "PORT": "8443",
        ])))
        #expect(read.servesTLS && read.httpRedirectPort == 8080 && read.hstsMaxAge == 31_536_000)
        #expect(!AppSettings().servesTLS)
    }

    // MARK: HSTS and the redirect port

    @Test func strictTransportSecurityIsSentOnlyOverHTTPS() async throws {
        try await inFolder { folder in
            let pair = try SelfSignedCertificates.write(into: folder, hosts: ["a.lan"], days: 30)
            let https: (inout AppSettings) -> Void = {
                $0.tlsCertFile = pair.certFile
                $0.tlsKeyFile = pair.keyFile
            }
            try await withApp(configure: https) { api in
                let answer = try await api.get("/ping")
                #expect(answer.headers[.strictTransportSecurity] == "max-age=31536000")
                // Errors too: a browser must not learn from a 404 that plain HTTP would do.
                let missing = try await api.get("/nope")
                #expect(missing.headers[.strictTransportSecurity] == "max-age=31536000")
            }
            try await withApp(configure: { https(&$0); $0.hstsMaxAge = 600 }) { api in
                let answer = try await api.get("/ping")
                #expect(answer.headers[.strictTransportSecurity] == "max-age=600")
            }
            try await withApp(configure: { https(&$0); $0.hstsMaxAge = 0 }) { api in
                let answer = try await api.get("/ping")
                #expect(answer.headers[.strictTransportSecurity] == nil)
            }
            try await withApp { api in
                let answer = try await api.get("/ping")
                #expect(answer.headers[.strictTransportSecurity] == nil)
            }
        }
    }

    /// (The router test client always names the host "localhost"; e2e/test_api_tls.py sends others.)
    @Test func thePlainPortRedirectsToTheSamePathOverHTTPS() async throws {
        let app = Application(responder: HTTPSRedirectResponder(httpsPort: 8443))
        try await app.test(.router) { client in
            let redirected = try await client.execute(uri: "/spending/?timestamp_from=1", method: .post)
            #expect(redirected.status == .permanentRedirect)
            #expect(redirected.headers[.location] == "https://localhost:8443/spending/?timestamp_from=1")
        }
        let standard = Application(responder: HTTPSRedirectResponder(httpsPort: 443))
        try await standard.test(.router) { client in
            let redirected = try await client.execute(uri: "/", method: .get)
            #expect(redirected.headers[.location] == "https://localhost/")
        }
    }

    @Test(arguments: [
        ("budget.lan", "budget.lan"), ("budget.lan:8080", "budget.lan"), ("192.168.1.20:80", "192.168.1.20"),
        ("[::1]:8080", "[::1]"), ("[::1]", "[::1]"),
    ])
    func aHostHeaderGivesItsHost(authority: String, host: String) {
        #expect(HTTPSRedirectResponder.host(ofAuthority: authority) == host)
    }

    @Test(arguments: ["", ":8080", "a b", "a/b", "user@host", "[::1", "[nope]:1", "host:80x", ".lan", "-a"])
    func anOddHostHeaderGivesNoHost(authority: String) {
        #expect(HTTPSRedirectResponder.host(ofAuthority: authority) == nil)
    }
}
