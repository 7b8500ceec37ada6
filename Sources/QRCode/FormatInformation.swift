/// The BCH-protected words that tell a reader the level, the mask and (from version 7) the
/// version before it can read any data.
enum FormatInformation {
    /// Level and mask under a BCH(15,5) code, XORed with 0x5412 so that no combination
    /// produces an all-light word that a reader could mistake for blank paper.
    static func bits(level: QRErrorCorrection, mask: Int) -> Int {
        precondition(MaskPattern.all.contains(mask))
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The version under a BCH(18,6) code; not masked, as version 0 never occurs.
    static func versionBits(version: Int) -> Int {
        precondition((7...40).contains(version))
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}
