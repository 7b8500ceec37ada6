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
        if count > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
        count += 1
        buffer.writeStaticString(#"{"amount":"#)
        JSONBytes.money(minorUnits: row.amountMinor, exponent: exponent, into: &buffer)
        buffer.writeStaticString(#","funnel_id":"#)
        JSONBytes.string(row.funnelId, into: &buffer)
        buffer.writeStaticString(#","has_receipt":"#)
        JSONBytes.bool(row.hasReceipt, into: &buffer)
        buffer.writeStaticString(#","id":"#)
        JSONBytes.string(row.id, into: &buffer)
        buffer.writeStaticString(#","note":"#)
        JSONBytes.string(row.note, into: &buffer)
        buffer.writeStaticString(#","timestamp":"#)
        JSONBytes.integer(row.timestamp, into: &buffer)
        buffer.writeStaticString(#","user":"#)
        buffer.writeImmutableBuffer(username(row.userId))
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    /// The array, closed.
    func finished() -> ByteBuffer {
        var body = buffer
        body.writeInteger(UInt8(ascii: "]"))
        return body
    }

    /// The user's name as a JSON string ("" for one no longer known), looked up once per user.
    private mutating func username(_ userId: UnsafeRawBufferPointer) -> ByteBuffer {
        if let known = names.first(where: { $0.id.elementsEqual(userId) }) { return known.json }
        var json = ByteBuffer()
        JSONBytes.string(directory.member(id: String(decoding: userId, as: UTF8.self))?.username ?? "", into: &json)
        names.append((Array(userId), json))
        return json
    }
}
