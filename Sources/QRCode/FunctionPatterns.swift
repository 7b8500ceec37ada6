extension ModuleGrid {
    /// An empty symbol of the given version with every function pattern drawn and the
    /// format area reserved, ready for codewords.
    init(functionPatternsFor version: Int) {
        self.init(size: QRVersionTable.size(of: version))
        // Timing first: the finders then overwrite the ends of the timing lines.
        drawTimingPatterns()
        drawFinderPattern(centerX: 3, centerY: 3)
        drawFinderPattern(centerX: size - 4, centerY: 3)
        drawFinderPattern(centerX: 3, centerY: size - 4)
        drawAlignmentPatterns(version: version)
        // Placeholder bits so placement skips the area; the real word depends on the mask.
        drawFormatInformation(0)
        drawVersionInformation(version: version)
    }

    /// Writes both copies of the 15-bit format word (bit 14 first in reading order) and the
    /// dark module next to the bottom-left copy.
    mutating func drawFormatInformation(_ bits: Int) {
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }

        // Around the top-left finder: up column 8, then along row 8 to the left,
        // stepping over the timing patterns at row and column 6.
        for i in 0...5 { setFunctionModule(x: 8, y: i, dark: bit(i)) }
        setFunctionModule(x: 8, y: 7, dark: bit(6))
        setFunctionModule(x: 8, y: 8, dark: bit(7))
        setFunctionModule(x: 7, y: 8, dark: bit(8))
        for i in 9..<15 { setFunctionModule(x: 14 - i, y: 8, dark: bit(i)) }

        // Split between the other two finders: bits 0–7 below the top-right one,
        // bits 8–14 beside the bottom-left one.
        for i in 0..<8 { setFunctionModule(x: size - 1 - i, y: 8, dark: bit(i)) }
        for i in 8..<15 { setFunctionModule(x: 8, y: size - 15 + i, dark: bit(i)) }
        setFunctionModule(x: 8, y: size - 8, dark: true)
    }

    private mutating func drawTimingPatterns() {
        for i in 0..<size {
            setFunctionModule(x: 6, y: i, dark: i % 2 == 0)
            setFunctionModule(x: i, y: 6, dark: i % 2 == 0)
        }
    }

    /// The 7×7 finder together with its light separator, clipped at the symbol's edge.
    private mutating func drawFinderPattern(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx, y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunctionModule(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignmentPatterns(version: Int) {
        let centers = QRVersionTable.alignmentPatternCenters(of: version)
        let last = centers.count - 1
        for (row, centerY) in centers.enumerated() {
            for (column, centerX) in centers.enumerated() {
                // Three corners of the centre grid fall on finder patterns.
                let onFinder = (row == 0 && column == 0) || (row == 0 && column == last) || (row == last && column == 0)
                if onFinder { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunctionModule(x: centerX + dx, y: centerY + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
    }

    /// Versions 7 and up repeat their number in two 6×3 blocks, because from there on the
    /// size alone is too hard for a reader to measure reliably.
    private mutating func drawVersionInformation(version: Int) {
        guard version >= 7 else { return }
        let bits = FormatInformation.versionBits(version: version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let near = i / 3, far = size - 11 + i % 3
            setFunctionModule(x: far, y: near, dark: dark)   // left of the top-right finder
            setFunctionModule(x: near, y: far, dark: dark)   // above the bottom-left finder
        }
    }
}
