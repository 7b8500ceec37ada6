/// The four penalty rules of ISO/IEC 18004 (7.8.3) that rank masks by how hard the result
/// would be to read: long runs, 2×2 blocks, finder look-alikes and colour imbalance.
enum Penalty {
    static let runWeight = 3         // N1, plus one for every module beyond five
    static let blockWeight = 3       // N2
    static let finderLikeWeight = 40 // N3
    static let balanceWeight = 10    // N4

    static func score(modules: [Bool], size: Int) -> Int {
        precondition(modules.count == size * size)
        // Raw buffers because this runs for every module eight times per symbol, and the
        // checked array accesses (and the uniqueness check on every write to `runs`) cost
        // about half the encoding time. Every index below stays inside a line or `runs`.
        return modules.withUnsafeBufferPointer { grid in
            // A line of n modules has at most n runs, plus an empty light run at either end.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: size + 2) { runs in
                var total = 0
                for y in 0..<size {
                    total += lineScore(grid, start: y * size, step: 1, count: size, runs: runs)
                }
                for x in 0..<size {
                    total += lineScore(grid, start: x, step: size, count: size, runs: runs)
                }
                return total
            }
            + blockScore(grid, size: size)
            + balanceScore(darkCount: grid.count(where: { $0 }), total: grid.count)
        }
    }

    /// Rules 1 and 3 for a whole line given on its own.
    static func lineScore(_ line: [Bool]) -> Int {
        line.withUnsafeBufferPointer { line in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: line.count + 2) { runs in
                lineScore(line, start: 0, step: 1, count: line.count, runs: runs)
            }
        }
    }

    /// Rules 1 (runs of five or more) and 3 (a 1:1:3:1:1 dark-light-dark-light-dark run
    /// with four times its unit of light on one side) for the row or column of `modules`
    /// that starts at `start` and advances by `step`. `runs` is scratch space for at least
    /// `count + 2` run lengths.
    private static func lineScore(
        _ modules: UnsafeBufferPointer<Bool>, start: Int, step: Int, count: Int,
        runs: UnsafeMutableBufferPointer<Int>
    ) -> Int {
        precondition(runs.count >= count + 2 && start + (count - 1) * step < modules.count)
        // Alternating run lengths, light first and light last, either possibly empty.
        var runCount = 0
        var isDark = false
        var length = 0
        var index = start
        for _ in 0..<count {
            if modules[index] == isDark {
                length += 1
            } else {
                runs[runCount] = length
                runCount += 1
                isDark.toggle()
                length = 1
            }
            index += step
        }
        runs[runCount] = length
        runCount += 1
        if isDark {
            runs[runCount] = 0
            runCount += 1
        }

        var score = 0
        for i in 0..<runCount where runs[i] >= 5 {
            score += runWeight + (runs[i] - 5)
        }

        // Beyond the symbol lies the light quiet zone, so the end runs continue into as much
        // light as any pattern in this line could ask for.
        runs[0] += count
        runs[runCount - 1] += count
        var center = 3
        while center + 3 < runCount {
            let unit = runs[center - 2]
            let core = unit > 0
                && runs[center - 1] == unit
                && runs[center] == 3 * unit
                && runs[center + 1] == unit
                && runs[center + 2] == unit
            if core {
                let before = runs[center - 3], after = runs[center + 3]
                if before >= 4 * unit && after >= unit { score += finderLikeWeight }
                if after >= 4 * unit && before >= unit { score += finderLikeWeight }
            }
            center += 2
        }
        return score
    }

    /// Rule 2: every 2×2 square of one colour, overlapping squares counted separately.
    static func blockScore(modules: [Bool], size: Int) -> Int {
        precondition(modules.count == size * size)
        return modules.withUnsafeBufferPointer { blockScore($0, size: size) }
    }

    private static func blockScore(_ modules: UnsafeBufferPointer<Bool>, size: Int) -> Int {
        var score = 0
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let i = y * size + x
                let color = modules[i]
                if color == modules[i + 1] && color == modules[i + size] && color == modules[i + size + 1] {
                    score += blockWeight
                }
            }
        }
        return score
    }

    /// Rule 4: N4 for every full 5 % by which the dark share strays from one half.
    static func balanceScore(darkCount: Int, total: Int) -> Int {
        balanceWeight * (abs(darkCount * 20 - total * 10) / total)
    }
}
