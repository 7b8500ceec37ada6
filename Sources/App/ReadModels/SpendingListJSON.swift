#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Storage

/// GET /spending/'s answer, a JSON array of `SpendingOutput`s written row by row inside the
/// store's read (`SpendingStore.list(into:)`), byte for byte what `WireJSON.encoder` writes for
/// the same `[SpendingOutput]` (keys sorted), without a record, a String or a Decimal per row.
struct SpendingListJSON: SpendingRowSink {
    private(set) var buffer: ByteBuffer
    private var exponent = 0
    private var count = 0
    private let directory: MemberDirectory
    /// User ids met so far with their usernames as JSON: a list holds a household's few members.
    private var names: [(id: [UInt8], json: ByteBuffer)] = []

    init(directory: MemberDirectory, allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        self.directory = directory
        self.buffer = allocator.buffer(capacity: 4096)
        buffer.writeInteger(UInt8(ascii: "["))
    }

    mutating func start(household: HouseholdRecord) {
        exponent = household.exponent
    }

    mutating func append(_ row: SpendingRowView) {
        let user = username(row.userId)
        let bound = Self.keysAndPunctuation
            + JSONBytes.Bound.string(utf8Count: row.funnelId.count) + JSONBytes.Bound.string(utf8Count: row.id.count)
            + JSONBytes.Bound.string(utf8Count: row.note.count)
            + JSONBytes.Bound.money + JSONBytes.Bound.bool + JSONBytes.Bound.integer + user.readableBytes
        let first = count == 0
        count += 1
        let exponent = exponent
        // The whole row in one reserved write: per-field ByteBuffer writes were most of its cost.
        JSONBytes.write(into: &buffer, atMost: bound) { json in
            if !first { json.byte(UInt8(ascii: ",")) }
            json.staticString(#"{"amount":"#)
            json.money(minorUnits: row.amountMinor, exponent: exponent)
            json.staticString(#","funnel_id":"#)
            json.string(row.funnelId)
            json.staticString(#","has_receipt":"#)
            json.bool(row.hasReceipt)
            json.staticString(#","id":"#)
            json.string(row.id)
            json.staticString(#","note":"#)
            json.string(row.note)
            json.staticString(#","timestamp":"#)
            json.integer(row.timestamp)
            json.staticString(#","user":"#)
            user.withUnsafeReadableBytes { json.bytes($0) }
            json.byte(UInt8(ascii: "}"))
        }
    }

    /// Room for the row's bytes other than its values: the comma, the braces and the seven keys
    /// take 75 today. A margin rather than a second list of the keys; a bound too small traps
    /// on the first store past it, and the byte-for-byte tests write every key.
    private static let keysAndPunctuation = 128

    /// The array, closed.
    func finished() -> ByteBuffer {
        var body = buffer
        body.writeInteger(UInt8(ascii: "]"))
        return body
    }

    private static func same(_ known: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard known.count == bytes.count else { return false }
        guard let other = bytes.baseAddress, !known.isEmpty else { return true }
        return known.withUnsafeBytes { memcmp($0.baseAddress.unsafelyUnwrapped, other, bytes.count) == 0 }
    }

    /// The user's name as a JSON string ("" for one no longer known), looked up once per user.
    private mutating func username(_ userId: UnsafeRawBufferPointer) -> ByteBuffer {
        if let known = names.first(where: { Self.same($0.id, userId) }) { return known.json }
        var json = ByteBuffer()
        JSONBytes.string(directory.member(id: String(decoding: userId, as: UTF8.self))?.username ?? "", into: &json)
        names.append((Array(userId), json))
        return json
    }
}
