import Foundation

/// A zone's UTC offset at instants asked for mostly in order (an export, oldest first): one
/// Foundation lookup per offset change rather than one per row.
struct ZoneOffsets {
    let zone: TimeZone
    private var validFrom = Int64.max
    private var validUntil = Int64.min
    private var offset = 0

    init(zone: TimeZone) {
        self.zone = zone
    }

    mutating func seconds(atMillis millis: Int64) -> Int {
        if millis >= validFrom && millis < validUntil { return offset }
        // Whole seconds: offsets change on whole seconds, and a Double holds those exactly.
        let second = Int64((Double(millis) / 1000).rounded(.down))
        let date = Date(timeIntervalSince1970: TimeInterval(second))
        offset = zone.secondsFromGMT(for: date)
        validFrom = second * 1000
        validUntil = zone.nextDaylightSavingTimeTransition(after: date).map { Int64($0.timeIntervalSince1970.rounded(.down)) * 1000 } ?? .max
        return offset
    }
}
