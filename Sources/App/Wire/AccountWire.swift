import Foundation

struct UsernameInput: Decodable {
    let username: String
}

struct RegistrationInput: Decodable {
    let username: String
    let otpSecret: String
    let otpExample: String
    /// Joins that household instead of creating one.
    let invite: String?
    let deviceName: String?

    enum CodingKeys: String, CodingKey {
        case username, invite
        case otpSecret = "otp_secret"
        case otpExample = "otp_example"
        case deviceName = "device_name"
    }
}

struct LoginInput: Decodable {
    let username: String
    let otp: String
    let deviceName: String?

    enum CodingKeys: String, CodingKey {
        case username, otp
        case deviceName = "device_name"
    }
}

struct RefreshInput: Decodable {
    let refresh: String
}

struct OTPSecretOutput: Encodable {
    let secret: String
    let uri: String
    let qrSVG: String

    enum CodingKeys: String, CodingKey {
        case secret, uri
        case qrSVG = "qr_svg"
    }
}

struct DecodedTokenOutput: Encodable {
    let username: String
    let exp: Int64
    let iat: Int64
    let type: String
}

struct DeviceOutput: Encodable {
    let id: String
    let name: String
    let createdAt: Int64
    let lastSeenAt: Int64
    let current: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, current
        case createdAt = "created_at"
        case lastSeenAt = "last_seen_at"
    }
}
