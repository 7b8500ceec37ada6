/// How a symbol's codewords split into Reed–Solomon blocks. Every block carries the same
/// number of error correction codewords; group 2 blocks hold one data codeword more than
/// group 1 blocks (group 2 may be empty).
struct BlockLayout: Equatable, Sendable {
    let errorCorrectionPerBlock: Int
    let group1Blocks: Int
    let group1DataCodewords: Int
    let group2Blocks: Int
    let group2DataCodewords: Int

    var blockCount: Int { group1Blocks + group2Blocks }
    var dataCodewords: Int { group1Blocks * group1DataCodewords + group2Blocks * group2DataCodewords }
    var totalCodewords: Int { dataCodewords + blockCount * errorCorrectionPerBlock }
}

/// Per-version facts of QR code model 2 (ISO/IEC 18004), versions 1 through 40.
enum QRVersionTable {
    static let versions = 1...40

    static func size(of version: Int) -> Int { 17 + 4 * version }

    /// Modules left for codewords (and remainder bits) once the function patterns and the
    /// format and version information are in place. Derived rather than tabulated so the
    /// count cannot disagree with what `ModuleGrid` actually reserves (a test checks both).
    static func dataModuleCount(of version: Int) -> Int {
        let size = size(of: version)
        var count = size * size
        count -= 3 * 8 * 8           // finder patterns with their separators
        count -= 2 * (size - 16)     // timing patterns between the separators
        count -= 2 * 15 + 1          // two copies of the format information, the dark module
        let centers = alignmentPatternCenters(of: version).count
        if centers > 0 {
            count -= 25 * (centers * centers - 3)
            // Alignment patterns centred on row or column 6 cover timing modules already
            // subtracted above.
            count += 2 * 5 * (centers - 2)
        }
        if version >= 7 { count -= 2 * 18 }
        return count
    }

    /// Row and column coordinates of alignment pattern centres. This closed form reproduces
    /// the standard's Annex E table: the first gap absorbs the slack, all others are equal
    /// and even so that centres fall on dark timing modules.
    static func alignmentPatternCenters(of version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let last = size(of: version) - 7
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return [6] + (0..<(count - 1)).reversed().map { last - $0 * step }
    }

    static func blockLayout(version: Int, level: QRErrorCorrection) -> BlockLayout {
        let errorCorrection = errorCorrectionPerBlock[level.tableIndex][version - 1]
        let blocks = blockCount[level.tableIndex][version - 1]
        let total = dataModuleCount(of: version) / 8
        // The standard sizes blocks as evenly as possible; the codewords that do not divide
        // evenly make the last blocks one data codeword longer.
        let shortBlockLength = total / blocks
        let longBlocks = total % blocks
        return BlockLayout(
            errorCorrectionPerBlock: errorCorrection,
            group1Blocks: blocks - longBlocks,
            group1DataCodewords: shortBlockLength - errorCorrection,
            group2Blocks: longBlocks,
            group2DataCodewords: shortBlockLength - errorCorrection + 1
        )
    }

    // ISO/IEC 18004 Table 9, one row per level (L, M, Q, H), one column per version 1...40.
    // The block sizes follow from these two numbers and the version's codeword count.

    private static let errorCorrectionPerBlock: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let blockCount: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}
