import NIOCore
import Storage

/// GET /history's answer, written as bytes: `{"currency":…,"periods":[{"end":…,"funnels":
/// [{"id":…,"limit":…,"spent":…}],"start":…}]}`, keys sorted as `WireJSON.encoder` sorts them
/// (tested byte for byte against it). Sixty periods of twenty funnels are 1 200 entries: the
/// encoder spent more on them, each amount through a Decimal, than the sums themselves.
enum HistoryJSON {
    static func render(_ history: SnapshotStore.History, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        let exponent = history.household.exponent
        // Each funnel's id and limit are the same in every period: written once, copied after.
        let heads = history.funnels.map { funnel in
            var head = ByteBuffer()
            head.writeStaticString(#"{"id":"#)
            JSONBytes.string(funnel.id, into: &head)
            head.writeStaticString(#","limit":"#)
            JSONBytes.money(minorUnits: funnel.limitMinor, exponent: exponent, into: &head)
            head.writeStaticString(#","spent":"#)
            return head
        }
        var buffer = allocator.buffer(capacity: 64 + history.periods.count * (32 + heads.reduce(0) { $0 + $1.readableBytes + 16 }))
        buffer.writeStaticString(#"{"currency":"#)
        JSONBytes.string(history.household.currency, into: &buffer)
        buffer.writeStaticString(#","periods":["#)
        for (index, (period, spent)) in zip(history.periods, history.spent).enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeStaticString(#"{"end":"#)
            JSONBytes.integer(period.endMillis, into: &buffer)
            buffer.writeStaticString(#","funnels":["#)
            for (position, funnel) in history.funnels.enumerated() {
                if position > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                buffer.writeImmutableBuffer(heads[position])
                JSONBytes.money(minorUnits: spent[funnel.id] ?? 0, exponent: exponent, into: &buffer)
                buffer.writeInteger(UInt8(ascii: "}"))
            }
            buffer.writeStaticString(#"],"start":"#)
            JSONBytes.integer(period.startMillis, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        buffer.writeStaticString("]}")
        return buffer
    }
}
