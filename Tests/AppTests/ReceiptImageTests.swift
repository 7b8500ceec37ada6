import Testing

@testable import App

/// Pictures are told by their own first bytes (file signatures), never by a name or a header.
@Suite struct ReceiptImageTests {
    static func ftyp(_ major: String, compatible: [String]) -> [UInt8] {
        let brands = [major] + ["\u{0}\u{0}\u{0}\u{0}"] + compatible
        let body = Array("ftyp".utf8) + brands.flatMap { Array($0.utf8) }
        let size = UInt32(4 + body.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + body + [0, 0, 0, 8]
    }

    @Test(arguments: [
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] as [UInt8], ReceiptImage.jpeg),
        ([0xFF, 0xD8, 0xFF, 0xE1], .jpeg),  // Exif, as phone cameras write it
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], .png),
        (Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), .webp),
        (ftyp("heic", compatible: ["mif1", "heic"]), .heic),
        (ftyp("heix", compatible: []), .heic),
        (ftyp("mif1", compatible: ["heic"]), .heic),  // iPhones since iOS 11 write heic; some tools mif1 + heic
    ])
    func recognised(bytes: [UInt8], kind: ReceiptImage) {
        #expect(ReceiptImage(recognising: bytes) == kind)
    }

    @Test(arguments: [
        [] as [UInt8],
        [0xFF, 0xD8],  // too short for a JPEG
        Array("GIF89a".utf8),
        Array("%PDF-1.7".utf8),
        Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8),  // scripts in an image: never
        Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8),
        ReceiptImageTests.ftyp("avif", compatible: ["mif1"]),
        ReceiptImageTests.ftyp("mif1", compatible: ["avif"]),
        ReceiptImageTests.ftyp("isom", compatible: ["mp41"]),  // a video
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A],  // a PNG signature cut short
    ])
    func refused(bytes: [UInt8]) {
        #expect(ReceiptImage(recognising: bytes) == nil)
    }
}
