/// Fresh random secrets for new accounts.
public enum OTPSecret {
    /// 20 bytes (160 bits) by default: the length RFC 4226 recommends, equal to SHA-1's output.
    /// SystemRandomNumberGenerator draws from the operating system's CSPRNG (getrandom on Linux).
    public static func generate(byteCount: Int = 20) -> [UInt8] {
        precondition(byteCount > 0, "an OTP secret needs at least one byte")
        var generator = SystemRandomNumberGenerator()
        return (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
