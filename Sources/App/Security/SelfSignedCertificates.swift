import Crypto
import Foundation
import SwiftASN1
import X509

/// `stracker tls self-signed`: a small private certificate authority for one home, and a server
/// certificate it signs for the names and addresses the family types. The CA is made once and
/// kept (its key never leaves DATA_DIR/tls), so that phones which trust it keep trusting every
/// server certificate made later; only the CA certificate is installed on the phones.
public enum SelfSignedCertificates {
    /// What was written, for the command to print.
    public struct Written: Sendable {
        public let folder: String
        public let caFile: String
        public let caKeyFile: String
        public let certFile: String
        public let keyFile: String
        /// SHA-256 of the CA certificate, as phones show it when asked to trust it.
        public let caFingerprint: String
        public let reusedCA: Bool
        public let names: [String]
        public let notValidAfter: Date
    }

    /// Apple's devices refuse TLS server certificates valid for longer than 825 days.
    public static let maximumDays = 825
    static let caYears = 10

    /// Writes a server certificate for `hosts` (DNS names or IP addresses), valid for `days`,
    /// into `folder`, signed by the CA already there or by a new one.
    public static func write(into folder: String, hosts: [String], days: Int, now: Date = Date()) throws -> Written {
        guard !hosts.isEmpty else { throw SelfSignedError("name at least one --host: the name or address the phones use to reach the server") }
        guard (1...maximumDays).contains(days) else { throw SelfSignedError("--days must be between 1 and \(maximumDays), not \(days)") }
        let names = try hosts.map(generalName)
        let paths = (
            ca: "\(folder)/ca.pem", caKey: "\(folder)/ca-key.pem", cert: "\(folder)/server.pem", key: "\(folder)/server-key.pem")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let notValidAfter = now.addingTimeInterval(Double(days) * 86_400)
        let ca: Certificate, caKey: Certificate.PrivateKey, reused: Bool
        if let existing = try existingCA(certFile: paths.ca, keyFile: paths.caKey, lastingUntil: notValidAfter) {
            (ca, caKey, reused) = (existing.0, existing.1, true)
        } else {
            (ca, caKey) = try newCA(now: now)
            reused = false
        }
        if !reused {
            try writeAtomically(paths.caKey, caKey.serializeAsPEM().pemString, mode: 0o600)
            try writeAtomically(paths.ca, ca.serializeAsPEM().pemString, mode: 0o644)
        }

        let serverKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: serverKey.publicKey,
            // An hour early: a phone whose clock is a little behind still accepts it at once.
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: notValidAfter,
            issuer: ca.subject, subject: try DistinguishedName { CommonName(hosts[0]); OrganizationName("STracker") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: serverKey.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: caKey)
        try writeAtomically(paths.key, serverKey.serializeAsPEM().pemString, mode: 0o600)
        // The chain the server presents: its own certificate, then the CA's.
        try writeAtomically(paths.cert, server.serializeAsPEM().pemString + "\n" + ca.serializeAsPEM().pemString + "\n", mode: 0o644)

        return Written(
            folder: folder, caFile: paths.ca, caKeyFile: paths.caKey, certFile: paths.cert, keyFile: paths.key,
            caFingerprint: fingerprint(of: ca), reusedCA: reused, names: hosts, notValidAfter: notValidAfter)
    }

    /// The CA in `folder` when both its files load, match, and it outlives the new certificate.
    private static func existingCA(certFile: String, keyFile: String, lastingUntil end: Date) throws -> (Certificate, Certificate.PrivateKey)? {
        guard let certPEM = try? String(contentsOfFile: certFile, encoding: .utf8),
            let keyPEM = try? String(contentsOfFile: keyFile, encoding: .utf8)
        else { return nil }
        guard let ca = try? Certificate(pemEncoded: certPEM), let key = try? Certificate.PrivateKey(pemEncoded: keyPEM) else {
            throw SelfSignedError("\(certFile) or \(keyFile) is not a readable PEM file; move both away to make a new CA")
        }
        guard key.publicKey == ca.publicKey else {
            throw SelfSignedError("\(keyFile) is not the key of \(certFile); move both away to make a new CA")
        }
        return ca.notValidAfter > end ? (ca, key) : nil
    }

    private static func newCA(now: Date) throws -> (Certificate, Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let host = ProcessInfo.processInfo.hostName
        let name = try DistinguishedName {
            CommonName("STracker home CA (\(host.prefix(40)))")
            OrganizationName("STracker")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(Double(caYears) * 365.25 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                // Path length 0: it signs server certificates only, never another CA.
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key)
        return (ca, key)
    }

    /// An IP address becomes an address entry (browsers do not match an IP against a DNS entry).
    static func generalName(_ host: String) throws -> GeneralName {
        if let address = IPRange.bytes(of: host) {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(address)))
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid = host.utf8.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        guard valid else { throw SelfSignedError("\(host) is neither an IP address nor a host name (letters, digits, - and .)") }
        return .dnsName(host.lowercased())
    }

    static func fingerprint(of certificate: Certificate) -> String {
        let der = (try? certificate.serializeAsPEM().derBytes) ?? []
        return SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// Written beside and renamed over, with its mode set before it holds anything: a key is
    /// never readable by others, not even for a moment, and a reader never sees half a file.
    private static func writeAtomically(_ path: String, _ text: String, mode: mode_t) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw SelfSignedError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, mode)  // exactly this mode, whatever the umask (the service's is 077)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SelfSignedError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

public struct SelfSignedError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = "tls self-signed: " + description
    }
}
