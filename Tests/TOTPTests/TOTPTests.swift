import Testing
@testable import TOTP

/// RFC 6238 Appendix B: 8 digits, period 30, a seed per hash.
struct TOTPTests {
    static func seed(for algorithm: OTPAlgorithm) -> [UInt8] {
        switch algorithm {
        case .sha1: Array("12345678901234567890".utf8)
        case .sha256: Array("12345678901234567890123456789012".utf8)
        case .sha512: Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
        }
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        let time: Int64
        let step: Int64
        let algorithm: OTPAlgorithm
        let code: String
        var testDescription: String { "\(algorithm.rawValue) at \(time)" }
    }

    static let vectors: [Vector] = [
        Vector(time: 59, step: 0x0000000000000001, algorithm: .sha1, code: "94287082"),
        Vector(time: 59, step: 0x0000000000000001, algorithm: .sha256, code: "46119246"),
        Vector(time: 59, step: 0x0000000000000001, algorithm: .sha512, code: "90693936"),
        Vector(time: 1111111109, step: 0x00000000023523EC, algorithm: .sha1, code: "07081804"),
        Vector(time: 1111111109, step: 0x00000000023523EC, algorithm: .sha256, code: "68084774"),
        Vector(time: 1111111109, step: 0x00000000023523EC, algorithm: .sha512, code: "25091201"),
        Vector(time: 1111111111, step: 0x00000000023523ED, algorithm: .sha1, code: "14050471"),
        Vector(time: 1111111111, step: 0x00000000023523ED, algorithm: .sha256, code: "67062674"),
        Vector(time: 1111111111, step: 0x00000000023523ED, algorithm: .sha512, code: "99943326"),
        Vector(time: 1234567890, step: 0x000000000273EF07, algorithm: .sha1, code: "89005924"),
        Vector(time: 1234567890, step: 0x000000000273EF07, algorithm: .sha256, code: "91819424"),
        Vector(time: 1234567890, step: 0x000000000273EF07, algorithm: .sha512, code: "93441116"),
        Vector(time: 2000000000, step: 0x0000000003F940AA, algorithm: .sha1, code: "69279037"),
        Vector(time: 2000000000, step: 0x0000000003F940AA, algorithm: .sha256, code: "90698825"),
        Vector(time: 2000000000, step: 0x0000000003F940AA, algorithm: .sha512, code: "38618901"),
        Vector(time: 20000000000, step: 0x0000000027BC86AA, algorithm: .sha1, code: "65353130"),
        Vector(time: 20000000000, step: 0x0000000027BC86AA, algorithm: .sha256, code: "77737706"),
        Vector(time: 20000000000, step: 0x0000000027BC86AA, algorithm: .sha512, code: "47863826"),
    ]

    @Test("RFC 6238 Appendix B", arguments: vectors)
    func appendixB(_ vector: Vector) throws {
        let totp = try TOTP(secret: Self.seed(for: vector.algorithm), digits: 8, period: 30, algorithm: vector.algorithm)
        #expect(totp.step(at: vector.time) == vector.step)
        #expect(totp.code(at: vector.time) == vector.code)
        #expect(totp.code(step: vector.step) == vector.code)
    }

    @Test("6 digits are the last 6 of the 8-digit code", arguments: vectors.filter { $0.algorithm == .sha1 })
    func sixDigitCodes(_ vector: Vector) throws {
        let totp = try TOTP(secret: Self.seed(for: .sha1))
        #expect(totp.code(at: vector.time) == String(vector.code.suffix(6)))
    }

    @Test("step is floor(t / period), also before 1970", arguments: [
        (Int64(0), Int64(0)), (29, 0), (30, 1), (59, 1), (60, 2),
        (-1, -1), (-29, -1), (-30, -1), (-31, -2), (-60, -2), (-61, -3),
        (Int64.max, Int64.max / 30), (Int64.min, Int64.min / 30 - 1),
    ])
    func stepIsFloorDivision(_ time: Int64, _ step: Int64) throws {
        let totp = try TOTP(secret: [1], period: 30)
        #expect(totp.step(at: time) == step)
    }

    @Test func periodOfOneSecond() throws {
        let totp = try TOTP(secret: [1], period: 1)
        #expect(totp.step(at: -5) == -5)
        #expect(totp.step(at: Int64.min) == Int64.min)
        #expect(totp.step(at: Int64.max) == Int64.max)
    }

    @Test func codeAtTimeBefore1970IsDeterministic() throws {
        let totp = try TOTP(secret: Self.seed(for: .sha1))
        #expect(totp.code(at: -1) == totp.code(step: -1))
        #expect(totp.code(at: -1).count == 6)
    }

    @Test(arguments: [Int.min, -30, -1, 0])
    func rejectsNonPositivePeriods(_ period: Int) {
        #expect(throws: OTPError.invalidPeriod) { try TOTP(secret: [1], period: period) }
    }

    @Test func passesOnHOTPErrors() {
        #expect(throws: OTPError.invalidDigits) { try TOTP(secret: [1], digits: 9) }
        #expect(throws: OTPError.emptySecret) { try TOTP(secret: []) }
    }

    @Test func defaultsAreTheOnesDesignMdUses() throws {
        let totp = try TOTP(secret: [1])
        #expect(totp.digits == 6)
        #expect(totp.period == 30)
        #expect(totp.algorithm == .sha1)
    }
}
