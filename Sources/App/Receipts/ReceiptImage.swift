/// What kind of picture a receipt upload is, told from its first bytes (its signature), never
/// from what the client says: JPEG, PNG, WebP or HEIC (phone cameras), nothing else.
enum ReceiptImage: String, CaseIterable, Sendable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case webp = "image/webp"
    case heic = "image/heic"

    var contentType: String { rawValue }

    var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        case .heic: "heic"
        }
    }

    /// HEIF brands of HEVC-coded pictures (ISO/IEC 23008-12); `mif1`/`msf1` are generic HEIF
    /// and count only with an HEVC brand among the compatible ones (else it may be AVIF).
    static let heicBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"]

    init?(recognising bytes: [UInt8]) {
        func ascii(_ range: Range<Int>) -> String? {
            guard bytes.count >= range.upperBound else { return nil }
            return String(decoding: bytes[range], as: UTF8.self)
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if ascii(0..<4) == "RIFF", ascii(8..<12) == "WEBP" {
            self = .webp
        } else if ascii(4..<8) == "ftyp", let major = ascii(8..<12), Self.isHEIC(bytes, major: major) {
            self = .heic
        } else {
            return nil
        }
    }

    /// The `ftyp` box: size (4 bytes), "ftyp", major brand, minor version, compatible brands.
    private static func isHEIC(_ bytes: [UInt8], major: String) -> Bool {
        if heicBrands.contains(major) { return true }
        guard major == "mif1" || major == "msf1" else { return false }
        let size = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        var offset = 16
        while offset + 4 <= min(size, bytes.count) {
            if heicBrands.contains(String(decoding: bytes[offset..<offset + 4], as: UTF8.self)) { return true }
            offset += 4
        }
        return false
    }
}
