import Testing
@testable import QRCode

@Suite("GF(256) and Reed–Solomon")
struct ReedSolomonTests {
    @Test("the field reduces by 0x11D and its tables are inverse")
    func field() {
        #expect(GaloisField.exp[8] == 0x1D)
        #expect(GaloisField.multiply(2, 128) == 0x1D)
        #expect(GaloisField.multiply(0, 77) == 0)
        #expect(GaloisField.multiply(3, 7) == 9)
        #expect(GaloisField.exp[255] == 1)
        for value in 1...255 {
            #expect(Int(GaloisField.exp[GaloisField.log[value]]) == value)
        }
        #expect(Set(GaloisField.exp[0..<255]).count == 255, "α generates the whole multiplicative group")
    }

    /// Generator polynomials as thonky.com's QR tutorial lists them, as exponents of α.
    @Test("generator polynomials match the published ones", arguments: [
        (7, [0, 87, 229, 146, 149, 238, 102, 21]),
        (10, [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45]),
    ])
    func generator(degree: Int, exponents: [Int]) {
        let expected = exponents.dropFirst().map { GaloisField.exp[$0] }
        #expect(ReedSolomon.generator(degree: degree) == expected)
    }

    @Test("HELLO WORLD 1-M: the published error correction codewords")
    func helloWorld() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        let expected: [UInt8] = [196, 35, 39, 119, 235, 215, 231, 226, 93, 23]
        #expect(ReedSolomon.errorCorrection(for: data, count: 10) == expected)
    }

    @Test("data followed by its error correction is divisible by the generator")
    func codewordsAreMultiplesOfTheGenerator() {
        let data = Fixtures.bytes(count: 43)
        let ec = ReedSolomon.errorCorrection(for: data, count: 26)
        // Evaluate the codeword polynomial at each root α^i; all must vanish.
        let codeword = data + ec
        for i in 0..<26 {
            let root = GaloisField.exp[i]
            var value: UInt8 = 0
            for coefficient in codeword { value = GaloisField.multiply(value, root) ^ coefficient }
            #expect(value == 0, "root α^\(i)")
        }
    }
}

@Suite("Data codewords and blocks")
struct CodewordTests {
    @Test("bits are packed most significant first")
    func bitBuffer() {
        var buffer = BitBuffer()
        buffer.append(0b0100, bitCount: 4)
        buffer.append(0x1, bitCount: 8)
        buffer.append(0b1, bitCount: 1)
        #expect(buffer.count == 13)
        #expect(buffer.bytes == [0b0100_0000, 0b0001_1000])
    }

    @Test("one byte: mode, count, data, terminator, alternating pad bytes")
    func singleByte() {
        let codewords = DataCodewords.encode([0x41], version: 1, level: .medium)
        // 0100 | 00000001 | 01000001 | 0000 -> 0x40 0x14 0x10, then 0xEC 0x11 ...
        #expect(codewords == [0x40, 0x14, 0x10, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
    }

    @Test("a full symbol keeps the whole terminator and needs no padding")
    func fullVersionOne() {
        let bytes = [UInt8](repeating: 0xFF, count: 14)
        let codewords = DataCodewords.encode(bytes, version: 1, level: .medium)
        #expect(codewords.count == 16)
        #expect(codewords.first == 0x40)
        #expect(codewords[1] == 0xEF)   // count 14 = 00001110, then the first data bits 1111
        #expect(codewords.last == 0xF0) // last four data bits, then the 4-bit terminator
    }

    @Test("versions from 10 on use a 16-bit character count")
    func longCount() {
        let bytes = Fixtures.bytes(count: 300)
        let codewords = DataCodewords.encode(bytes, version: 13, level: .medium)
        // 0100 | 0000000100101100 | ...
        #expect(codewords[0] == 0x40)
        #expect(codewords[1] == 0x12)
        #expect(codewords[2] >> 4 == 0xC)
        #expect(codewords.count == QRVersionTable.blockLayout(version: 13, level: .medium).dataCodewords)
    }

    /// Block structures from ISO/IEC 18004 Table 9.
    @Test("block layouts match Table 9", arguments: [
        (1, QRErrorCorrection.medium, BlockLayout(errorCorrectionPerBlock: 10, group1Blocks: 1, group1DataCodewords: 16, group2Blocks: 0, group2DataCodewords: 17)),
        (5, .medium, BlockLayout(errorCorrectionPerBlock: 24, group1Blocks: 2, group1DataCodewords: 43, group2Blocks: 0, group2DataCodewords: 44)),
        (5, .quartile, BlockLayout(errorCorrectionPerBlock: 18, group1Blocks: 2, group1DataCodewords: 15, group2Blocks: 2, group2DataCodewords: 16)),
        (6, .medium, BlockLayout(errorCorrectionPerBlock: 16, group1Blocks: 4, group1DataCodewords: 27, group2Blocks: 0, group2DataCodewords: 28)),
        (10, .medium, BlockLayout(errorCorrectionPerBlock: 26, group1Blocks: 4, group1DataCodewords: 43, group2Blocks: 1, group2DataCodewords: 44)),
        (15, .medium, BlockLayout(errorCorrectionPerBlock: 24, group1Blocks: 5, group1DataCodewords: 41, group2Blocks: 5, group2DataCodewords: 42)),
        (21, .medium, BlockLayout(errorCorrectionPerBlock: 26, group1Blocks: 17, group1DataCodewords: 42, group2Blocks: 0, group2DataCodewords: 43)),
        (40, .medium, BlockLayout(errorCorrectionPerBlock: 28, group1Blocks: 18, group1DataCodewords: 47, group2Blocks: 31, group2DataCodewords: 48)),
        (40, .high, BlockLayout(errorCorrectionPerBlock: 30, group1Blocks: 20, group1DataCodewords: 15, group2Blocks: 61, group2DataCodewords: 16)),
    ])
    func blockLayout(version: Int, level: QRErrorCorrection, expected: BlockLayout) {
        #expect(QRVersionTable.blockLayout(version: version, level: level) == expected)
    }

    @Test("blocks interleave column by column, data first, then error correction")
    func interleaving() {
        let layout = BlockLayout(errorCorrectionPerBlock: 2, group1Blocks: 2, group1DataCodewords: 2,
                                 group2Blocks: 1, group2DataCodewords: 3)
        let data: [UInt8] = [1, 2, 3, 4, 5, 6, 7]
        let ec = [[1, 2], [3, 4], [5, 6, 7]].map { ReedSolomon.errorCorrection(for: $0, count: 2) }
        let expected: [UInt8] = [1, 3, 5, 2, 4, 6, 7, ec[0][0], ec[1][0], ec[2][0], ec[0][1], ec[1][1], ec[2][1]]
        #expect(BlockInterleaving.finalCodewords(data: data, layout: layout) == expected)
    }
}
