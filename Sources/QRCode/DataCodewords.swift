/// The data codewords of a single byte-mode segment: mode indicator, character count, the
/// bytes, terminator and padding.
enum DataCodewords {
    private static let byteModeIndicator = 0b0100

    static func characterCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// How many bytes a byte-mode segment can carry in this version and level.
    static func byteCapacity(version: Int, level: QRErrorCorrection) -> Int {
        let capacityBits = QRVersionTable.blockLayout(version: version, level: level).dataCodewords * 8
        let countBits = characterCountBits(version: version)
        let fits = (capacityBits - 4 - countBits) / 8
        return min(fits, (1 << countBits) - 1)
    }

    static func smallestVersion(byteCount: Int, level: QRErrorCorrection) -> Int? {
        QRVersionTable.versions.first { byteCapacity(version: $0, level: level) >= byteCount }
    }

    static func encode(_ bytes: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        precondition(bytes.count <= byteCapacity(version: version, level: level))
        let capacityBits = QRVersionTable.blockLayout(version: version, level: level).dataCodewords * 8
        var buffer = BitBuffer()
        buffer.append(byteModeIndicator, bitCount: 4)
        buffer.append(bytes.count, bitCount: characterCountBits(version: version))
        for byte in bytes { buffer.append(Int(byte), bitCount: 8) }
        // The terminator may be cut short when the data fills the symbol exactly.
        buffer.append(0, bitCount: min(4, capacityBits - buffer.count))
        buffer.append(0, bitCount: (8 - buffer.count % 8) % 8)

        var codewords = buffer.bytes
        codewords.reserveCapacity(capacityBits / 8)
        // The standard's two alternating pad codewords.
        var pad: UInt8 = 0xEC
        while codewords.count < capacityBits / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }
}
