/// Arithmetic in GF(2⁸) with the reducing polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) that
/// ISO/IEC 18004 prescribes; addition is XOR, so only multiplication needs tables.
enum GaloisField {
    /// αⁱ for i in 0..<510. The table is doubled so that a product's exponent sum, at most
    /// 254 + 254, indexes it directly without a modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        for i in 255..<510 { table[i] = table[i - 255] }
        return table
    }()

    /// log_α(x) for x in 1...255; index 0 is unused because 0 has no logarithm.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}
