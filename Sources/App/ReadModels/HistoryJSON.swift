import NIOCore
import Storage

/// GET /history's answer, written as bytes: `{"currency":…,"periods":[{"end":…,"funnels":
/// [{"id":…,"limit":…,"members":[{"spent":…,"user":…}],"spent":…}],"start":…}]}`, keys sorted
/// as `WireJSON.encoder` sorts them (tested byte for byte against it). A period lists the funnels
/// that had begun by its end; `members` (shared funnels only) is who recorded how much, by
/// username. Sixty periods of twenty funnels are 1 200 entries: the encoder spent more on them,
/// each amount through a Decimal, than the sums themselves.
enum HistoryJSON {
    static func render(
        _ history: SnapshotStore.History, username: (String) -> String, allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        let exponent = history.household.exponent
        // Each funnel's id and limit are the same in every period: written once, copied after.
        let heads = history.funnels.map { funnel in
            var head = ByteBuffer()
            head.writeStaticString(#"{"id":"#)
            JSONBytes.string(funnel.id, into: &head)
            head.writeStaticString(#","limit":"#)
            JSONBytes.money(minorUnits: funnel.limitMinor, exponent: exponent, into: &head)
            return head
        }
        let names = history.users.map(username)
        var buffer = allocator.buffer(capacity: 64 + history.periods.count * (32 + heads.reduce(0) { $0 + $1.readableBytes + 16 }))
        buffer.writeStaticString(#"{"currency":"#)
        JSONBytes.string(history.household.currency, into: &buffer)
        buffer.writeStaticString(#","periods":["#)
        for (index, period) in history.periods.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeStaticString(#"{"end":"#)
            JSONBytes.integer(period.endMillis, into: &buffer)
            buffer.writeStaticString(#","funnels":["#)
            var first = true
            for (position, funnel) in history.funnels.enumerated() where history.firstPeriod[position] <= index {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                buffer.writeImmutableBuffer(heads[position])
                if funnel.shared {
                    buffer.writeStaticString(#","members":["#)
                    let members = history.parts[index][position].map { (name: $0.user.map { names[$0] } ?? "", spent: $0.spent) }
                    for (number, member) in members.sorted(by: { $0.name < $1.name }).enumerated() {
                        buffer.writeStaticString(number > 0 ? #",{"spent":"# : #"{"spent":"#)
                        JSONBytes.money(minorUnits: member.spent, exponent: exponent, into: &buffer)
                        buffer.writeStaticString(#","user":"#)
                        JSONBytes.string(member.name, into: &buffer)
                        buffer.writeInteger(UInt8(ascii: "}"))
                    }
                    buffer.writeInteger(UInt8(ascii: "]"))
                }
                buffer.writeStaticString(#","spent":"#)
                JSONBytes.money(minorUnits: history.spent(period: index, funnel: position), exponent: exponent, into: &buffer)
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
