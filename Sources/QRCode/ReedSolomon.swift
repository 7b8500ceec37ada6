/// Reed–Solomon error correction codewords as QR codes use them: a systematic code whose
/// generator has the roots α⁰…α^(n−1).
enum ReedSolomon {
    /// The generator polynomial of the given degree, highest power first, without its
    /// leading coefficient (always 1, so the division below never needs it).
    static func generator(degree: Int) -> [UInt8] {
        precondition(degree > 0, "a Reed–Solomon generator needs at least one root")
        var polynomial: [UInt8] = [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            // Multiply by (x − root); in characteristic 2, minus is plus.
            var product = polynomial + [0]
            for j in 1..<product.count {
                product[j] ^= GaloisField.multiply(polynomial[j - 1], root)
            }
            polynomial = product
            root = GaloisField.multiply(root, 2)
        }
        return Array(polynomial.dropFirst())
    }

    /// The remainder of data·x^n divided by the generator: the n error correction codewords.
    static func errorCorrection(for data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            if factor == 0 { continue }
            for i in remainder.indices {
                remainder[i] ^= GaloisField.multiply(generator[i], factor)
            }
        }
        return remainder
    }

    static func errorCorrection(for data: [UInt8], count: Int) -> [UInt8] {
        errorCorrection(for: data, generator: generator(degree: count))
    }
}
