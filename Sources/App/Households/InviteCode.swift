import Crypto

/// One-use codes that let a new user join a household: 10 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), about 50 bits, typed or pasted; compared case-insensitively.
enum InviteCode {
    /// Also the recovery codes' alphabet (`RecoveryCodes`).
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    static func generate() -> String {
        randomCharacters(10)
    }

    /// `count` characters of `alphabet`, from the system's random source.
    static func randomCharacters(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func normalize(_ code: String) -> String {
        code.uppercased().filter { $0 != "-" && $0 != " " }
    }
}
