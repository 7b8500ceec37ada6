import Crypto
import Foundation
import SystemPackage

/// The two server keys: one signs tokens, one encrypts OTP secrets at rest.
///
/// They come from JWT_SECRET / SECRET_KEY when set; otherwise from `keys.json` in the data
/// folder, created with random keys (mode 0600) on first start so that zero configuration is
/// secure and restarts keep every session.
struct KeyMaterial: Sendable {
    let signingKey: SymmetricKey
    let encryptionKey: SymmetricKey

    private struct KeyFile: Codable {
        var jwtSecret: String
        var secretKey: String
    }

    static func load(settings: AppSettings) throws -> KeyMaterial {
        var stored: KeyFile?
        if settings.jwtSecret == nil || settings.secretKey == nil {
            stored = try loadOrCreateKeyFile(in: settings.dataDir)
        }
        let signing = settings.jwtSecret.map { Data($0.utf8) } ?? Data(base64Encoded: stored!.jwtSecret)!
        let encryption = settings.secretKey.map { Data($0.utf8) } ?? Data(base64Encoded: stored!.secretKey)!
        return KeyMaterial(
            signingKey: SymmetricKey(data: signing),
            // Any SECRET_KEY text becomes a proper 256-bit AES key.
            encryptionKey: HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: encryption), info: Data("stracker otp secrets".utf8),
                outputByteCount: 32))
    }

    private static func loadOrCreateKeyFile(in directory: String) throws -> KeyFile {
        let path = (directory as NSString).appendingPathComponent("keys.json")
        if let data = FileManager.default.contents(atPath: path) {
            let file = try JSONDecoder().decode(KeyFile.self, from: data)
            guard Data(base64Encoded: file.jwtSecret) != nil, Data(base64Encoded: file.secretKey) != nil else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
            }
            return file
        }
        let file = KeyFile(jwtSecret: randomBase64(byteCount: 32), secretKey: randomBase64(byteCount: 32))
        let data = try JSONEncoder().encode(file)
        // Opened by hand because Foundation's createFile writes a temporary file with the
        // umask's mode and chmods it after the rename: the keys must be 0600 from the first byte.
        // O_EXCL: two processes starting at once cannot both write keys (the loser fails).
        let descriptor = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
            permissions: [.ownerReadWrite])
        try descriptor.closeAfter {
            _ = try descriptor.writeAll(data)
            guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
        }
        return file
    }

    private static func randomBase64(byteCount: Int) -> String {
        SymmetricKey(size: SymmetricKeySize(bitCount: byteCount * 8)).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
