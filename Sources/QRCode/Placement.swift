extension ModuleGrid {
    /// Lays the codewords out bit by bit, most significant first, in the standard's zigzag:
    /// two-module-wide columns from the right edge, alternately upward and downward,
    /// skipping function modules and the vertical timing column.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var upward = true
        var right = size - 1
        while right > 0 {
            if right == 6 { right = 5 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in stride(from: right, through: right - 1, by: -1) {
                    let index = y * size + x
                    guard !isFunction[index], bitIndex < bitCount else { continue }
                    let byte = codewords[bitIndex / 8]
                    setDataModule(at: index, dark: (byte >> UInt8(7 - bitIndex % 8)) & 1 == 1)
                    bitIndex += 1
                }
            }
            upward.toggle()
            right -= 2
        }
        // Up to seven remainder modules are left over; the standard wants them light, as they are.
        precondition(bitIndex == bitCount, "codewords do not match the version's data modules")
    }
}
