import Foundation
import Hummingbird

/// The first step of signing up. `invite` and `time_zone`, when given, are checked as the second
/// step will check them, so that a refusal comes before the secret reaches an authenticator.
struct UsernameInput: Decodable {
    let username: String
    let invite: String?
    let timeZone: String?
}

struct RegistrationInput: Decodable {
    let username: String
    let otpSecret: String
    let otpExample: String
    /// Joins that household instead of creating one.
    let invite: String?
    /// The time zone of a new household (the phone's); without it, the server's TIME_ZONE.
    let timeZone: String?
    let deviceName: String?
}

struct LoginInput: Decodable {
    let username: String
    let otp: String
    let deviceName: String?
}

struct RefreshInput: Decodable {
    let refresh: String
}

struct OTPSecretOutput: ResponseEncodable {
    let secret: String
    let uri: String
    let qrSvg: String
}

struct DecodedTokenOutput: ResponseEncodable {
    let username: String
    let exp: Int64
    let iat: Int64
    let type: String
}

/// PATCH /user/devices/{id}: the device's new name.
struct DeviceRename: Decodable {
    let name: String
}

struct DeviceOutput: ResponseEncodable {
    let id: String
    let name: String
    let createdAt: Int64
    let lastSeenAt: Int64
    let current: Bool
}

/// Signing in with a recovery code, which buys one enrolment of a new authenticator.
struct RecoveryInput: Decodable {
    let username: String
    let recoveryCode: String
}

struct EnrolmentInput: Decodable {
    let enrolment: String
}

/// Setting up a new authenticator with an enrolment ticket: its secret and a current code.
struct EnrolInput: Decodable {
    let enrolment: String
    let otpSecret: String
    let otpExample: String
    let deviceName: String?
}

/// What a valid ticket gives: for whom, until when, and a fresh secret for the new authenticator.
struct EnrolmentOutput: ResponseEncodable {
    let enrolment: String
    let expiresAt: Int64
    let username: String
    let secret: String
    let uri: String
    let qrSvg: String
}

/// A new set of recovery codes, shown once.
struct RecoveryCodesOutput: ResponseEncodable {
    let codes: [String]
    let createdAt: Int64
}

struct RecoveryStatusOutput: ResponseEncodable {
    let remaining: Int
    let createdAt: Int64?
}
