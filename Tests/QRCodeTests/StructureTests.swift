import Testing
@testable import QRCode

/// Fixed parts of the symbol, read back through the public subscript and compared with
/// the values ISO/IEC 18004 publishes.
@Suite("Symbol structure")
struct StructureTests {
    /// Annex E: alignment pattern centre coordinates, versions 1...40.
    static let alignmentCenters: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82],
        [6, 30, 58, 86], [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106],
        [6, 32, 58, 84, 110], [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
        [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142],
        [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    /// Annex C: format words for level M, masks 0...7 (after the 0x5412 XOR).
    static let mediumFormatWords = [0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0]

    /// Annex D: version words for versions 7...40.
    static let versionWords = [
        0x07C94, 0x085BC, 0x09A99, 0x0A4D3, 0x0BBF6, 0x0C762, 0x0D847, 0x0E60D, 0x0F928, 0x10B78,
        0x1145D, 0x12A17, 0x13532, 0x149A6, 0x15683, 0x168C9, 0x177EC, 0x18EC4, 0x191E1, 0x1AFAB,
        0x1B08E, 0x1CC1A, 0x1D33F, 0x1ED75, 0x1F250, 0x209D5, 0x216F0, 0x228BA, 0x2379F, 0x24B0B,
        0x2542E, 0x26A64, 0x27541, 0x28C69,
    ]

    @Test("the encoder picks each version and draws its fixed patterns", arguments: QRVersionTable.versions)
    func fixedPatterns(version: Int) throws {
        let code = try Fixtures.fullSymbol(version: version)
        #expect(code.version == version)
        #expect(code.size == 17 + 4 * version)

        // Finders (7×7: dark ring, light ring, dark 3×3) with light separators.
        for (left, top) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            for dy in -1...7 {
                for dx in -1...7 {
                    let x = left + dx, y = top + dy
                    guard (0..<code.size).contains(x), (0..<code.size).contains(y) else { continue }
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(code[x, y] == (ring != 2 && ring != 4), "finder at (\(left), \(top)), module (\(x), \(y))")
                }
            }
        }

        // Timing patterns run between the separators along row 6 and column 6.
        for i in 8..<(code.size - 8) {
            #expect(code[i, 6] == (i % 2 == 0), "horizontal timing at x = \(i)")
            #expect(code[6, i] == (i % 2 == 0), "vertical timing at y = \(i)")
        }

        #expect(code[8, 4 * version + 9], "the dark module")

        let centers = Self.alignmentCenters[version - 1]
        for cy in centers {
            for cx in centers {
                let onFinder = (cx == 6 && cy == 6) || (cx == 6 && cy == centers.last) || (cx == centers.last && cy == 6)
                guard !onFinder else { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        #expect(code[cx + dx, cy + dy] == (max(abs(dx), abs(dy)) != 1), "alignment pattern at (\(cx), \(cy))")
                    }
                }
            }
        }
    }

    @Test("alignment pattern centres match Annex E", arguments: QRVersionTable.versions)
    func alignmentCenters(version: Int) {
        #expect(QRVersionTable.alignmentPatternCenters(of: version) == Self.alignmentCenters[version - 1])
    }

    @Test("both copies of the format information read back as the published word", arguments: MaskPattern.all)
    func formatInformation(mask: Int) throws {
        for version in [1, 7, 40] {
            let code = try QRCode(bytes: Fixtures.bytes(count: DataCodewords.byteCapacity(version: version, level: .medium)),
                                  errorCorrection: .medium, forcedMask: mask)
            let words = Self.formatWords(of: code)
            #expect(words.first == words.second, "version \(version)")
            #expect(words.first == Self.mediumFormatWords[mask], "version \(version)")
            // Unmasked, the top five bits are the level (M = 00) and the mask.
            #expect((words.first ^ 0x5412) >> 10 == mask)
        }
    }

    @Test("format words for every level match Annex C's first entries")
    func formatWordsPerLevel() {
        #expect(FormatInformation.bits(level: .low, mask: 0) == 0x77C4)
        #expect(FormatInformation.bits(level: .medium, mask: 0) == 0x5412)
        #expect(FormatInformation.bits(level: .quartile, mask: 0) == 0x355F)
        #expect(FormatInformation.bits(level: .high, mask: 0) == 0x1689)
        #expect(FormatInformation.bits(level: .quartile, mask: 7) == 0x2BED)
        #expect(FormatInformation.bits(level: .high, mask: 7) == 0x083B)
    }

    @Test("both version information blocks read back as the published word", arguments: 7...40)
    func versionInformation(version: Int) throws {
        let code = try Fixtures.fullSymbol(version: version)
        let expected = Self.versionWords[version - 7]
        #expect(FormatInformation.versionBits(version: version) == expected)
        var topRight = 0, bottomLeft = 0
        // Bit 0 sits in the block's corner nearest the symbol's origin; bits run across the
        // short side of the 6×3 block first.
        for i in 0..<18 {
            if code[code.size - 11 + i % 3, i / 3] { topRight |= 1 << i }
            if code[i / 3, code.size - 11 + i % 3] { bottomLeft |= 1 << i }
        }
        #expect(topRight == expected)
        #expect(bottomLeft == expected)
    }

    @Test("only versions 7 and up reserve the version information blocks", arguments: [6, 7])
    func versionInformationArea(version: Int) {
        let grid = ModuleGrid(functionPatternsFor: version)
        for i in 0..<18 {
            #expect(grid.isFunction[(i / 3) * grid.size + grid.size - 11 + i % 3] == (version >= 7))
            #expect(grid.isFunction[(grid.size - 11 + i % 3) * grid.size + i / 3] == (version >= 7))
        }
    }

    @Test("codeword capacity equals the modules function patterns leave free", arguments: QRVersionTable.versions)
    func dataModules(version: Int) {
        let grid = ModuleGrid(functionPatternsFor: version)
        #expect(grid.isFunction.count(where: { !$0 }) == QRVersionTable.dataModuleCount(of: version))
    }

    @Test("total codewords and remainder bits match Table 1")
    func totalCodewords() {
        let published = [1: 26, 2: 44, 5: 134, 7: 196, 10: 346, 21: 1156, 40: 3706]
        for (version, total) in published {
            #expect(QRVersionTable.dataModuleCount(of: version) / 8 == total, "version \(version)")
        }
        let remainderBits = [0, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3,
                             4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0]
        #expect(QRVersionTable.versions.map { QRVersionTable.dataModuleCount(of: $0) % 8 } == remainderBits)
    }

    @Test("outside the symbol every module reads as light")
    func quietZoneIsLight() throws {
        let code = try QRCode(text: "quiet")
        #expect(!code[-1, 0])
        #expect(!code[0, -1])
        #expect(!code[code.size, 0])
        #expect(!code[0, code.size])
        #expect(code[0, 0])
    }

    @Test("equal input gives equal symbols")
    func deterministic() throws {
        #expect(try QRCode(text: Fixtures.otpauth) == QRCode(text: Fixtures.otpauth))
        #expect(try QRCode(text: Fixtures.otpauth) != QRCode(text: Fixtures.otpauth + "x"))
    }

    /// Both copies, most significant bit first, read in the order ISO/IEC 18004 Figure 25
    /// numbers them.
    static func formatWords(of code: QRCode) -> (first: Int, second: Int) {
        let size = code.size
        // Copy 1: along row 8 left to right, then up column 8, skipping the timing modules.
        let first: [(Int, Int)] = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
                                   (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
        // Copy 2: up column 8 from the bottom edge, then along row 8 to the right edge.
        let second: [(Int, Int)] = (0..<7).map { (8, size - 1 - $0) } + (0..<8).map { (size - 8 + $0, 8) }
        func read(_ positions: [(Int, Int)]) -> Int {
            positions.reduce(0) { word, position in word << 1 | (code[position.0, position.1] ? 1 : 0) }
        }
        return (read(first), read(second))
    }
}
