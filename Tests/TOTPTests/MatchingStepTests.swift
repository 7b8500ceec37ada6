import Testing
@testable import TOTP

struct MatchingStepTests {
    static let totp = try! TOTP(secret: Array("12345678901234567890".utf8))
    /// Mid-step, so ±1 step is ±30 s away from the edges.
    static let now: Int64 = 1111111111
    static let nowStep = totp.step(at: now)

    @Test func codesOfNeighbouringStepsDiffer() {
        let codes = (-2...2).map { Self.totp.code(step: Self.nowStep + Int64($0)) }
        #expect(Set(codes).count == 5)
    }

    @Test("accepts now−1, now and now+1 and tells which", arguments: [-1, 0, 1])
    func acceptsAdjacentSteps(_ offset: Int) {
        let step = Self.nowStep + Int64(offset)
        #expect(Self.totp.matchingStep(for: Self.totp.code(step: step), at: Self.now) == step)
    }

    @Test("rejects now±2 with the default window", arguments: [-2, 2])
    func rejectsStepsTwoAway(_ offset: Int) {
        let code = Self.totp.code(step: Self.nowStep + Int64(offset))
        #expect(Self.totp.matchingStep(for: code, at: Self.now) == nil)
    }

    @Test func widerWindowAcceptsTwoAway() {
        for offset in [-2, 2] {
            let step = Self.nowStep + Int64(offset)
            #expect(Self.totp.matchingStep(for: Self.totp.code(step: step), at: Self.now, window: 2) == step)
        }
    }

    @Test func windowZeroAcceptsOnlyTheCurrentStep() {
        let current = Self.totp.code(step: Self.nowStep)
        #expect(Self.totp.matchingStep(for: current, at: Self.now, window: 0) == Self.nowStep)
        #expect(Self.totp.matchingStep(for: Self.totp.code(step: Self.nowStep - 1), at: Self.now, window: 0) == nil)
        #expect(Self.totp.matchingStep(for: current, at: Self.now, window: -3) == Self.nowStep)
    }

    @Test func acceptsAtTheEdgesOfTheCurrentStep() {
        let start = Self.nowStep * 30
        let code = Self.totp.code(step: Self.nowStep)
        #expect(Self.totp.matchingStep(for: code, at: start) == Self.nowStep)
        #expect(Self.totp.matchingStep(for: code, at: start + 29) == Self.nowStep)
        // From the next step's point of view this code is one step old, still inside the window.
        #expect(Self.totp.matchingStep(for: code, at: start + 30) == Self.nowStep)
        #expect(Self.totp.matchingStep(for: code, at: start + 60 + 29) == nil)
    }

    @Test("rejects anything but exactly 6 ASCII digits", arguments: [
        "", "1", "12345", "1234567", "12345a", " 123456", "123456 ", "12 456", "+12345", "-12345",
        "١٢٣٤٥٦", "１２３４５６", "۱۲۳۴۵۶", "12345\u{0}", "１２３",
    ])
    func rejectsMalformedCandidates(_ candidate: String) {
        #expect(Self.totp.matchingStep(for: candidate, at: Self.now) == nil)
    }

    @Test func rejectsTheRightCodeWithExtraCharacters() {
        let code = Self.totp.code(step: Self.nowStep)
        for candidate in [code + "0", "0" + code, String(code.dropLast()), code + "\n"] {
            #expect(Self.totp.matchingStep(for: candidate, at: Self.now) == nil)
        }
    }

    @Test func eightDigitCodes() throws {
        let totp = try TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(totp.matchingStep(for: "94287082", at: 59) == 1)
        #expect(totp.matchingStep(for: "287082", at: 59) == nil)
    }

    @Test func atStepZeroTheNegativeStepIsSkipped() throws {
        let code0 = Self.totp.code(step: 0)
        let code1 = Self.totp.code(step: 1)
        let codeMinus1 = Self.totp.code(step: -1)
        try #require(Set([code0, code1, codeMinus1]).count == 3)
        #expect(Self.totp.matchingStep(for: code0, at: 0) == 0)
        #expect(Self.totp.matchingStep(for: code0, at: 29) == 0)
        #expect(Self.totp.matchingStep(for: code1, at: 0) == 1)
        #expect(Self.totp.matchingStep(for: codeMinus1, at: 0) == nil)
        #expect(Self.totp.matchingStep(for: codeMinus1, at: -1) == nil)
        #expect(Self.totp.matchingStep(for: code0, at: -1) == 0)
    }

    @Test func stepsAreCheckedInOrderOfPreference() {
        #expect(TOTP.stepsToCheck(around: 100, window: 1) == [100, 99, 101])
        #expect(TOTP.stepsToCheck(around: 100, window: 2) == [100, 99, 101, 98, 102])
        #expect(TOTP.stepsToCheck(around: 100, window: 0) == [100])
        #expect(TOTP.stepsToCheck(around: 100, window: -1) == [100])
        #expect(TOTP.stepsToCheck(around: 0, window: 1) == [0, 1])
        #expect(TOTP.stepsToCheck(around: -1, window: 1) == [0])
        #expect(TOTP.stepsToCheck(around: -5, window: 1) == [])
        #expect(TOTP.stepsToCheck(around: Int64.max, window: 1) == [Int64.max, Int64.max - 1])
    }

    @Test func constantTimeComparison() {
        #expect(constantTimeEquals([], []))
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([0, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(!constantTimeEquals([0x80], [0x00]))
    }
}
