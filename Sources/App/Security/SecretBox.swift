import Crypto
import Foundation

/// Seals OTP secrets with AES-GCM, bound to the user they belong to (associated data), so a
/// sealed secret copied onto another user's row does not open.
struct SecretBox: Sendable {
    let key: SymmetricKey

    func seal(_ secret: [UInt8], userId: String) throws -> Data {
        try AES.GCM.seal(secret, using: key, authenticating: Data(userId.utf8)).combined!
    }

    func open(_ sealed: Data, userId: String) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return Array(try AES.GCM.open(box, using: key, authenticating: Data(userId.utf8)))
    }
}
