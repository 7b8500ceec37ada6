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
        var names: [String: String] = [:]
        for member in history.byMember.lazy.flatMap(\.values).joined() where names[member.userId] == nil {
            names[member.userId] = username(member.userId)
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
            var first = true
            for (position, funnel) in history.funnels.enumerated() where history.hasBegun(funnel, byEndOf: index) {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                buffer.writeImmutableBuffer(heads[position])
                if funnel.shared {
                    buffer.writeStaticString(#","members":["#)
                    let members = (history.byMember[index][funnel.id] ?? []).map { member in
                        (name: names[member.userId] ?? "", spent: member.spent)
                    }.sorted { $0.name < $1.name }
                    for (number, member) in members.enumerated() {
                        buffer.writeStaticString(number > 0 ? #",{"spent":"# : #"{"spent":"#)
                        JSONBytes.money(minorUnits: member.spent, exponent: exponent, into: &buffer)
                        buffer.writeStaticString(#","user":"#)
                        JSONBytes.string(member.name, into: &buffer)
                        buffer.writeInteger(UInt8(ascii: "}"))
                    }
                    buffer.writeInteger(UInt8(ascii: "]"))
                }
                buffer.writeStaticString(#","spent":"#)
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
