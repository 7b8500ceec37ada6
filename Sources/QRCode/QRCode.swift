public enum QRCodeError: Error, Equatable, Sendable {
    /// The data does not fit a version 40 symbol at the requested error correction level.
    case dataTooLong
}

/// A QR code model 2 symbol (ISO/IEC 18004) holding bytes in a single byte-mode segment,
/// in the smallest version that fits them.
public struct QRCode: Sendable, Equatable {
    /// 1...40.
    public let version: Int
    /// Modules per side: 17 + 4 × version.
    public let size: Int
    /// The data mask pattern, 0...7.
    public let mask: Int
    public let errorCorrection: QRErrorCorrection
    /// Row-major, true = dark.
    let modules: [Bool]

    public init(bytes: [UInt8], errorCorrection: QRErrorCorrection = .medium) throws(QRCodeError) {
        try self.init(bytes: bytes, errorCorrection: errorCorrection, forcedMask: nil)
    }

    /// Encodes the text's UTF-8 bytes, without an ECI header, as most encoders do. Most
    /// readers take byte data that is valid UTF-8 as UTF-8, but some guess another charset
    /// for non-ASCII bytes (zbarimg's text output does), and an ECI header is handled
    /// unevenly by older readers. Percent-encoded URIs are pure ASCII and avoid the issue.
    public init(text: String, errorCorrection: QRErrorCorrection = .medium) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection)
    }

    /// `forcedMask` skips the penalty contest, so that tests can show every mask decodes.
    init(bytes: [UInt8], errorCorrection: QRErrorCorrection, forcedMask: Int?) throws(QRCodeError) {
        precondition(forcedMask.map(MaskPattern.all.contains) ?? true, "mask patterns are 0...7")
        guard let version = DataCodewords.smallestVersion(byteCount: bytes.count, level: errorCorrection) else {
            throw .dataTooLong
        }
        let layout = QRVersionTable.blockLayout(version: version, level: errorCorrection)
        let data = DataCodewords.encode(bytes, version: version, level: errorCorrection)
        var grid = ModuleGrid(functionPatternsFor: version)
        grid.placeCodewords(BlockInterleaving.finalCodewords(data: data, layout: layout))

        let chosen: (grid: ModuleGrid, mask: Int)
        if let forcedMask {
            chosen = (grid.masked(with: forcedMask, level: errorCorrection), forcedMask)
        } else {
            chosen = grid.bestMasked(level: errorCorrection)
        }

        self.version = version
        self.size = grid.size
        self.mask = chosen.mask
        self.errorCorrection = errorCorrection
        self.modules = chosen.grid.modules
    }

    /// Whether the module at column x, row y is dark; (0, 0) is the top-left corner.
    /// Coordinates outside the symbol lie in the quiet zone and read as light.
    public subscript(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }
}
