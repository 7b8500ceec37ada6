import Crypto
import Foundation

/// Recovery codes a person writes down at sign-up: 10 of them, each 12 characters (about 60
/// bits) from the invite codes' alphabet without look-alikes, shown as `K7QF-3MZP-XA9T`. Only a
/// hash is stored, bound to the user (the same code of two users hashes apart), so a copy of the
/// database does not give them away; the sign-in throttles make guessing useless.
enum RecoveryCodes {
    static let count = 10

    static func generate() -> [String] {
        (0..<count).map { _ in
            let characters = Array(InviteCode.randomCharacters(12))
            return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
        }
    }

    /// As typed: any case, hyphens and spaces ignored.
    static func normalize(_ code: String) -> String {
        code.uppercased().filter { $0 != "-" && !$0.isWhitespace }
    }

    static func hash(_ code: String, userId: String) -> Data {
        Data(SHA256.hash(data: Data("stracker-recovery-code:\(userId):\(normalize(code))".utf8)))
    }
}

/// A one-time enrolment ticket: 32 random bytes as base64url, handed to the person (after a
/// recovery code, or in the owner's link) and stored only as its SHA-256.
enum EnrolmentTicket {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(Data(bytes))
    }

    static func hash(_ ticket: String) -> Data {
        Data(SHA256.hash(data: Data(ticket.trimmingCharacters(in: .whitespaces).utf8)))
    }
}
