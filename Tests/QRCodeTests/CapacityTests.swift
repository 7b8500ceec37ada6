import Testing
@testable import QRCode

@Suite("Capacity and version choice")
struct CapacityTests {
    /// Table 7: byte-mode capacity at level M, versions 1...40.
    static let mediumByteCapacity = [
        14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
        711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
    ]

    /// Table 7: data codewords at level M, versions 1...40.
    static let mediumDataCodewords = [
        16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669,
        714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
    ]

    @Test("level M capacities match Table 7")
    func publishedCapacities() {
        let versions = Array(QRVersionTable.versions)
        #expect(versions.map { DataCodewords.byteCapacity(version: $0, level: .medium) } == Self.mediumByteCapacity)
        #expect(versions.map { QRVersionTable.blockLayout(version: $0, level: .medium).dataCodewords } == Self.mediumDataCodewords)
    }

    @Test("other levels' capacities at versions 1 and 40", arguments: [
        (QRErrorCorrection.low, 17, 2953),
        (.medium, 14, 2331),
        (.quartile, 11, 1663),
        (.high, 7, 1273),
    ])
    func levelCapacities(level: QRErrorCorrection, first: Int, last: Int) {
        #expect(DataCodewords.byteCapacity(version: 1, level: level) == first)
        #expect(DataCodewords.byteCapacity(version: 40, level: level) == last)
    }

    @Test("a full version fits it; one byte more moves to the next", arguments: QRVersionTable.versions)
    func smallestVersion(version: Int) throws {
        let capacity = Self.mediumByteCapacity[version - 1]
        #expect(try QRCode(bytes: Fixtures.bytes(count: capacity)).version == version)
        if version < 40 {
            #expect(try QRCode(bytes: Fixtures.bytes(count: capacity + 1)).version == version + 1)
        }
    }

    @Test("named boundaries: 14 and 15 bytes, 26 and 27, 2331")
    func boundaries() throws {
        #expect(try QRCode(bytes: Fixtures.bytes(count: 14)).version == 1)
        #expect(try QRCode(bytes: Fixtures.bytes(count: 15)).version == 2)
        #expect(try QRCode(bytes: Fixtures.bytes(count: 26)).version == 2)
        #expect(try QRCode(bytes: Fixtures.bytes(count: 27)).version == 3)
        #expect(try QRCode(bytes: Fixtures.bytes(count: 2331)).version == 40)
        #expect(try QRCode(bytes: []).version == 1)
    }

    @Test("2332 bytes at level M do not fit", arguments: [
        (QRErrorCorrection.medium, 2332),
        (.low, 2954),
        (.high, 1274),
    ])
    func tooLong(level: QRErrorCorrection, count: Int) {
        #expect(throws: QRCodeError.dataTooLong) {
            try QRCode(bytes: Fixtures.bytes(count: count), errorCorrection: level)
        }
    }

    @Test("text is encoded as its UTF-8 bytes")
    func textIsUTF8() throws {
        let text = "Zoë 家計 💶"
        #expect(try QRCode(text: text) == QRCode(bytes: Array(text.utf8)))
        // 14 ASCII bytes fit version 1, but 13 characters with one two-byte "é" do not.
        #expect(try QRCode(text: String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode(text: "é" + String(repeating: "a", count: 12) + "!").version == 2)
    }
}
