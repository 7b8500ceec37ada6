import Testing
@testable import QRCode

@Suite("Masking and penalties")
struct MaskingTests {
    private static func line(_ pattern: String) -> [Bool] { pattern.map { $0 == "1" } }

    private static func lineScore(_ pattern: String) -> Int {
        Penalty.lineScore(line(pattern))
    }

    @Test("rule 1: runs of five or more cost 3 plus the excess", arguments: [
        ("10101010101", 0),
        ("1111010101", 0),
        ("1111101010", 3),
        ("0000000101", 5),
        ("1111100000", 6),
    ])
    func runs(pattern: String, expected: Int) {
        #expect(Self.lineScore(pattern) == expected)
    }

    @Test("rule 3: a 1:1:3:1:1 pattern with four light modules on a side costs 40 per side", arguments: [
        ("000010111010000", 80 + 0),      // light on both sides
        ("110000101110101", 40),          // four light modules only before the pattern
        ("1010111010100001", 0),          // a single light module on either side
        ("10111010000", 80),              // the quiet zone beyond the edge is light too
        ("0000110011111100110000", 80 + 4), // twice the unit, plus rule 1 for the run of six
    ])
    func finderLike(pattern: String, expected: Int) {
        #expect(Self.lineScore(pattern) == expected)
    }

    @Test("rule 2: every 2×2 block of one colour costs 3")
    func blocks() {
        // 3×3: all dark has four overlapping blocks; a checkerboard has none.
        #expect(Penalty.blockScore(modules: Array(repeating: true, count: 9), size: 3) == 12)
        #expect(Penalty.blockScore(modules: (0..<9).map { $0 % 2 == 0 }, size: 3) == 0)
        #expect(Penalty.blockScore(modules: [true, true, false, true, true, false, false, false, false], size: 3) == 3)
    }

    @Test("rule 4: 10 for every full 5 % away from half dark", arguments: [
        (50, 0), (54, 0), (55, 10), (45, 10), (60, 20), (39, 20), (0, 100),
    ])
    func balance(dark: Int, expected: Int) {
        #expect(Penalty.balanceScore(darkCount: dark, total: 100) == expected)
    }

    @Test("mask patterns follow Table 10 on a few modules")
    func maskFormulas() {
        #expect(MaskPattern.inverts(0, x: 0, y: 0) && !MaskPattern.inverts(0, x: 1, y: 0))
        #expect(MaskPattern.inverts(1, x: 5, y: 2) && !MaskPattern.inverts(1, x: 2, y: 5))
        #expect(MaskPattern.inverts(2, x: 3, y: 1) && !MaskPattern.inverts(2, x: 1, y: 3))
        #expect(MaskPattern.inverts(3, x: 1, y: 2) && !MaskPattern.inverts(3, x: 1, y: 1))
        #expect(MaskPattern.inverts(4, x: 3, y: 2) && !MaskPattern.inverts(4, x: 3, y: 0))
        #expect(MaskPattern.inverts(5, x: 6, y: 1) && !MaskPattern.inverts(5, x: 2, y: 1))
        #expect(MaskPattern.inverts(6, x: 2, y: 1) && !MaskPattern.inverts(6, x: 5, y: 1))
        #expect(MaskPattern.inverts(7, x: 0, y: 0) && !MaskPattern.inverts(7, x: 1, y: 1))
    }

    @Test("the chosen mask has the lowest penalty of all eight", arguments: [
        "", "a", "https://x.io", Fixtures.otpauth, Fixtures.uri(length: 300), Fixtures.uri(length: 1000),
    ])
    func lowestPenaltyWins(text: String) throws {
        let chosen = try QRCode(text: text)
        let scores = try MaskPattern.all.map { mask in
            let code = try QRCode(bytes: Array(text.utf8), errorCorrection: .medium, forcedMask: mask)
            return Penalty.score(modules: code.modules, size: code.size)
        }
        let lowest = try #require(scores.min())
        #expect(chosen.mask == scores.firstIndex(of: lowest))
        #expect(try chosen == QRCode(bytes: Array(text.utf8), errorCorrection: .medium, forcedMask: chosen.mask))
    }

    @Test("masks change data modules only", arguments: MaskPattern.all)
    func masksSpareFunctionModules(mask: Int) throws {
        let bytes = Array(Fixtures.otpauth.utf8)
        let reference = try QRCode(bytes: bytes, errorCorrection: .medium, forcedMask: 0)
        let masked = try QRCode(bytes: bytes, errorCorrection: .medium, forcedMask: mask)
        #expect(masked.mask == mask)
        let grid = ModuleGrid(functionPatternsFor: reference.version)
        for y in 0..<grid.size {
            for x in 0..<grid.size where grid.isFunction[y * grid.size + x] {
                let inFormatArea = (x == 8 && (y <= 8 || y >= grid.size - 8)) || (y == 8 && (x <= 8 || x >= grid.size - 8))
                if inFormatArea { continue }
                #expect(masked[x, y] == reference[x, y], "(\(x), \(y))")
            }
        }
    }
}
