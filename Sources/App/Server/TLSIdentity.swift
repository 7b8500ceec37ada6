import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The certificate chain and private key the server presents, read from TLS_CERT_FILE and
/// TLS_KEY_FILE and checked before they are used: a pair that could not serve a single
/// handshake (unreadable, not PEM, a key of another certificate, outside its validity) stops
/// start-up, or is refused on reload, with a message that says which file and why.
struct TLSIdentity: Sendable {
    let chain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey
    /// The names and addresses the server's certificate is valid for (its subject alternative names).
    let names: [String]
    let notValidAfter: Date
    /// What the two files looked like when read, to notice a renewal.
    let stamp: TLSFileStamp

    static func load(certFile: String, keyFile: String, now: Date = Date()) throws(TLSSetupError) -> TLSIdentity {
        let stamp = TLSFileStamp(certFile: certFile, keyFile: keyFile)
        let certPEM = try read(certFile, setting: "TLS_CERT_FILE")
        let keyPEM = try read(keyFile, setting: "TLS_KEY_FILE")

        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: certPEM)
                .filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(derEncoded: $0.derBytes) }
        } catch {
            throw TLSSetupError(certFile, "is not a PEM certificate chain (\(error))")
        }
        guard let leaf = certificates.first else {
            throw TLSSetupError(certFile, "holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")")
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyPEM)
        } catch {
            throw TLSSetupError(keyFile, "is not an unencrypted PEM private key (RSA, EC or PKCS#8): \(error)")
        }
        guard key.publicKey == leaf.publicKey else {
            throw TLSSetupError(keyFile, "is not the key of the certificate in \(certFile) (their public keys differ)")
        }
        if now > leaf.notValidAfter {
            throw TLSSetupError(certFile, "expired on \(leaf.notValidAfter.ISO8601Format()): renew it")
        }
        if now < leaf.notValidBefore {
            throw TLSSetupError(certFile, "is not valid before \(leaf.notValidBefore.ISO8601Format()): check the clock or the certificate")
        }

        do {
            return TLSIdentity(
                chain: try NIOSSLCertificate.fromPEMBytes(Array(certPEM.utf8)),
                privateKey: try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem),
                names: Self.names(of: leaf), notValidAfter: leaf.notValidAfter, stamp: stamp)
        } catch {
            throw TLSSetupError(certFile, "could not be loaded for TLS with \(keyFile): \(error)")
        }
    }

    private static func read(_ path: String, setting: String) throws(TLSSetupError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TLSSetupError(path, "does not exist (\(setting))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TLSSetupError(path, "cannot be read by this user (\(setting)): check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TLSSetupError(path, "is not PEM text (\(setting)); a DER file converts with `openssl x509 -inform der`")
        }
        return text
    }

    /// DNS names and IP addresses, for the start-up log line.
    static func names(of certificate: Certificate) -> [String] {
        guard let alternatives = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return alternatives.compactMap { name in
            switch name {
            case .dnsName(let dns): dns
            case .ipAddress(let bytes): IPRange.text(ofAddress: Array(bytes.bytes))
            default: nil
            }
        }
    }
}

/// The modification time, size and inode of the two files: any of them changes when a renewal
/// replaces a file, whether it is rewritten in place or renamed over the old one.
struct TLSFileStamp: Equatable, Sendable {
    private let parts: [Int]

    init(certFile: String, keyFile: String) {
        parts = [certFile, keyFile].flatMap { path -> [Int] in
            var info = stat()
            guard stat(path, &info) == 0 else { return [-1, -1, -1, -1] }
            return [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size), Int(info.st_ino)]
        }
    }
}

/// Why the configured certificate cannot be served; the service does not start with it.
struct TLSSetupError: Error, CustomStringConvertible {
    let file: String
    let problem: String

    init(_ file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    var description: String { "TLS: \(file) \(problem)" }
}
