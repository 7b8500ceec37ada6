/// The eight data mask patterns (ISO/IEC 18004 Table 10). Masking breaks up patterns in
/// the data that would confuse a reader, such as finder look-alikes or large blank areas.
enum MaskPattern {
    static let all = 0..<8

    /// Whether `pattern` inverts the module at column x, row y. (The standard writes these
    /// with i for the row and j for the column.)
    static func inverts(_ pattern: Int, x: Int, y: Int) -> Bool {
        switch pattern {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (x * y) % 2 + (x * y) % 3 == 0
        case 6: ((x * y) % 2 + (x * y) % 3) % 2 == 0
        case 7: ((x + y) % 2 + (x * y) % 3) % 2 == 0
        default: preconditionFailure("mask pattern \(pattern) is outside 0...7")
        }
    }
}

extension ModuleGrid {
    /// A copy with `pattern` applied to the data modules and the matching format word
    /// written, which is the state the penalty rules judge.
    func masked(with pattern: Int, level: QRErrorCorrection) -> ModuleGrid {
        var copy = self
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && MaskPattern.inverts(pattern, x: x, y: y) {
                copy.toggleDataModule(at: y * size + x)
            }
        }
        copy.drawFormatInformation(FormatInformation.bits(level: level, mask: pattern))
        return copy
    }

    /// The masked copy with the lowest penalty score; a tie keeps the lower pattern number.
    func bestMasked(level: QRErrorCorrection) -> (grid: ModuleGrid, mask: Int) {
        var best = (grid: masked(with: 0, level: level), mask: 0)
        var bestScore = Penalty.score(modules: best.grid.modules, size: size)
        for pattern in MaskPattern.all.dropFirst() {
            let candidate = masked(with: pattern, level: level)
            let score = Penalty.score(modules: candidate.modules, size: size)
            if score < bestScore {
                best = (candidate, pattern)
                bestScore = score
            }
        }
        return best
    }
}
