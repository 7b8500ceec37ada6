/// RFC 6238 time-based one-time passwords: HOTP with the counter taken from Unix time.
public struct TOTP: Sendable {
    public let period: Int
    private let hotp: HOTP

    public var digits: Int { hotp.digits }
    public var algorithm: OTPAlgorithm { hotp.algorithm }

    public init(secret: [UInt8], digits: Int = 6, period: Int = 30, algorithm: OTPAlgorithm = .sha1) throws(OTPError) {
        guard period >= 1 else { throw .invalidPeriod }
        self.hotp = try HOTP(secret: secret, digits: digits, algorithm: algorithm)
        self.period = period
    }

    /// Floor division: Swift's `/` rounds toward zero, which would give times just before 1970
    /// the same step as times just after it.
    public func step(at unixSeconds: Int64) -> Int64 {
        let period = Int64(period)
        let quotient = unixSeconds / period
        return (unixSeconds % period < 0) ? quotient - 1 : quotient
    }

    /// A negative step is hashed as its two's-complement bit pattern; only times before 1970 reach it.
    public func code(step: Int64) -> String {
        hotp.code(counter: UInt64(bitPattern: step))
    }

    public func code(at unixSeconds: Int64) -> String {
        code(step: step(at: unixSeconds))
    }

    /// Checks `candidate` against the steps now−window … now+window and returns the step it matches.
    ///
    /// Every step is computed and compared, even after a match, so the time taken does not tell
    /// which step (if any) matched. When several steps share the code, the current step wins, then
    /// the nearer steps, earlier before later. Callers enforce "a step once used is never accepted
    /// again" against the returned step. A candidate that is not exactly `digits` ASCII digits is
    /// rejected at once: its shape is not secret. Negative steps are skipped.
    public func matchingStep(for candidate: String, at unixSeconds: Int64, window: Int = 1) -> Int64? {
        let candidateBytes = Array(candidate.utf8)
        guard candidateBytes.count == digits,
              candidateBytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }

        let steps = Self.stepsToCheck(around: step(at: unixSeconds), window: window)
        var matched = [Bool](repeating: false, count: steps.count)
        for (index, step) in steps.enumerated() {
            matched[index] = constantTimeEquals(Array(code(step: step).utf8), candidateBytes)
        }
        return zip(steps, matched).first(where: { $0.1 })?.0
    }

    /// The steps around `now` in order of preference: now, now−1, now+1, now−2, now+2, …
    /// Steps that are negative or that would overflow are left out.
    static func stepsToCheck(around now: Int64, window: Int) -> [Int64] {
        var steps: [Int64] = now >= 0 ? [now] : []
        guard window > 0 else { return steps }
        for distance in 1...Int64(window) {
            let (earlier, earlierOverflow) = now.subtractingReportingOverflow(distance)
            if !earlierOverflow, earlier >= 0 { steps.append(earlier) }
            let (later, laterOverflow) = now.addingReportingOverflow(distance)
            if !laterOverflow, later >= 0 { steps.append(later) }
        }
        return steps
    }
}
