import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Keeps the served certificate current without a restart: every TLS handshake asks it for the
/// identity (`contextCallback`), and it reads the files again on SIGHUP and when their stamp
/// changes (polled every `pollInterval`). A renewal that does not load is refused with a warning
/// and the previous certificate stays in use, so a half-copied file never takes the site down.
final class CertificateReloader: Service, Sendable {
    let certFile: String
    let keyFile: String
    let pollInterval: Duration
    private let logger: Logger
    private let current: Mutex<TLSIdentity>
    /// The stamp of the last files tried, loaded or not: a refused renewal is reported once,
    /// not every poll.
    private let lastTried: Mutex<TLSFileStamp>
    private let hangups: UnixSignalsSequence

    /// Loads the files (throwing `TLSSetupError` when they cannot serve) and traps SIGHUP, whose
    /// default action would end the process, before the server starts.
    init(certFile: String, keyFile: String, pollInterval: Duration = .seconds(10), logger: Logger) async throws {
        self.certFile = certFile
        self.keyFile = keyFile
        self.pollInterval = pollInterval
        self.logger = logger
        let identity = try TLSIdentity.load(certFile: certFile, keyFile: keyFile)
        self.current = Mutex(identity)
        self.lastTried = Mutex(identity.stamp)
        self.hangups = await UnixSignalsSequence(trapping: .sighup)
    }

    var identity: TLSIdentity { current.withLock { $0 } }

    /// For `TLSConfiguration.sslContextCallback`: the current chain and key for this handshake.
    var contextCallback: NIOSSLContextCallback {
        { [self] _, promise in
            let identity = self.identity
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = identity.chain.map { .certificate($0) }
            override.privateKey = .privateKey(identity.privateKey)
            promise.succeed(override)
        }
    }

    /// Reads the files again; true when a new identity is now served.
    @discardableResult
    func reload(trigger: String) -> Bool {
        lastTried.withLock { $0 = TLSFileStamp(certFile: certFile, keyFile: keyFile) }
        do {
            let identity = try TLSIdentity.load(certFile: certFile, keyFile: keyFile)
            current.withLock { $0 = identity }
            logger.notice("TLS certificate reloaded", metadata: [
                "trigger": "\(trigger)", "names": "\(identity.names.joined(separator: ", "))",
                "not_valid_after": "\(identity.notValidAfter.ISO8601Format())",
            ])
            return true
        } catch {
            logger.warning("TLS certificate not reloaded, the previous one is still served", metadata: [
                "trigger": "\(trigger)", "error": "\(error)",
            ])
            return false
        }
    }

    /// Reloads when either file changed since it was last read.
    func reloadIfChanged() {
        let stamp = TLSFileStamp(certFile: certFile, keyFile: keyFile)
        guard lastTried.withLock({ $0 }) != stamp else { return }
        reload(trigger: "files changed")
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in self.hangups { self.reload(trigger: "SIGHUP") }
                }
                group.addTask {
                    while (try? await Task.sleep(for: self.pollInterval)) != nil {
                        self.reloadIfChanged()
                    }
                }
            }
        }
    }
}
