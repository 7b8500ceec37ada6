/// otpauth:// key URIs in Google Authenticator's "Key Uri Format", the text of the QR code a user scans.
public enum OTPAuthURI {
    /// otpauth://totp/STracker:alice?secret=…&issuer=STracker&algorithm=SHA1&digits=6&period=30
    ///
    /// The label is "issuer:account" with each part escaped on its own, so a ':' inside a username
    /// cannot be mistaken for the separator. The issuer is repeated as a parameter because newer
    /// apps read it from there. An empty issuer leaves out both the prefix and the parameter.
    public static func totp(
        secretBase32: String,
        account: String,
        issuer: String = "STracker",
        algorithm: OTPAlgorithm = .sha1,
        digits: Int = 6,
        period: Int = 30
    ) -> String {
        let label = issuer.isEmpty ? escape(account) : escape(issuer) + ":" + escape(account)
        var parameters = ["secret=" + escape(secretBase32)]
        if !issuer.isEmpty { parameters.append("issuer=" + escape(issuer)) }
        parameters.append("algorithm=" + algorithm.rawValue)
        parameters.append("digits=" + String(digits))
        parameters.append("period=" + String(period))
        return "otpauth://totp/" + label + "?" + parameters.joined(separator: "&")
    }

    /// Keeps only RFC 3986 unreserved characters. Foundation's character sets would keep ':', '/',
    /// '?' and more, and apps differ in how they read those inside a label; '+' in particular is
    /// read as a space by some.
    static func escape(_ text: String) -> String {
        var output: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
