/// An instant written as ISO 8601 local date-time with its UTC offset, to the millisecond
/// ("2025-09-20T12:00:00.123+02:00"), and read back from that and the shorter forms spreadsheets
/// write. Pure integer arithmetic: exports format a million of them.
public enum ZonedTimestamp {
    /// `millis` since the epoch as the wall clock reads it `offsetSeconds` east of UTC.
    public static func iso8601(millis: Int64, offsetSeconds: Int) -> String {
        let local = millis + Int64(offsetSeconds) * 1000
        let day = floorDivide(Int(local), 86_400_000)
        let ofDay = Int(local) - day * 86_400_000
        let date = LocalDate(dayNumber: day)
        var text = pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
        text += "T" + pad(ofDay / 3_600_000, 2) + ":" + pad(ofDay / 60_000 % 60, 2) + ":" + pad(ofDay / 1000 % 60, 2)
        text += "." + pad(ofDay % 1000, 3)
        if offsetSeconds == 0 { return text + "Z" }
        let magnitude = abs(offsetSeconds)
        text += (offsetSeconds < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { text += ":" + pad(magnitude % 60, 2) }
        return text
    }

    /// What a text says: a local date, a time of day (midnight when it has none) and, if it
    /// has one, its offset.
    public struct Reading: Sendable, Equatable {
        public var date: LocalDate
        public var millisOfDay: Int
        /// Seconds east of UTC; nil when the text gives none (the household's zone decides).
        public var offsetSeconds: Int?

        /// The instant, when the text gave its offset.
        public var millis: Int64? {
            offsetSeconds.map { Int64(date.dayNumber) * 86_400_000 + Int64(millisOfDay) - Int64($0) * 1000 }
        }
    }

    /// Reads `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM`, `HH:MM:SS` or
    /// `HH:MM:SS.fff` (1 to 3 decimals), optionally followed by `Z` or an offset `±HH:MM`/`±HHMM`.
    /// Anything else, or a date or time that does not exist (Feb 30, 24:00), is nil.
    public static func read(_ text: String) -> Reading? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.take("-"), let month = scanner.digits(2), scanner.take("-"),
              let day = scanner.digits(2), let date = LocalDate(year: year, month: month, day: day)
        else { return nil }
        var millisOfDay = 0
        if scanner.take("T") || scanner.take(" ") {
            guard let hour = scanner.digits(2), hour < 24, scanner.take(":"), let minute = scanner.digits(2), minute < 60 else { return nil }
            var second = 0
            var fraction = 0
            if scanner.take(":") {
                guard let value = scanner.digits(2), value < 60 else { return nil }
                second = value
                if scanner.take(".") {
                    var count = 0
                    while count < 3, let digit = scanner.digit() {
                        fraction = fraction * 10 + digit
                        count += 1
                    }
                    guard count > 0, scanner.peekDigit == nil else { return nil }
                    for _ in count..<3 { fraction *= 10 }
                }
            }
            millisOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + fraction
        }
        var offset: Int?
        if scanner.take("Z") {
            offset = 0
        } else if let sign = scanner.sign() {
            guard let hours = scanner.digits(2), hours <= 18 else { return nil }
            _ = scanner.take(":")
            guard let minutes = scanner.digits(2), minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard scanner.atEnd else { return nil }
        return Reading(date: date, millisOfDay: millisOfDay, offsetSeconds: offset)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        var peekDigit: Int? {
            guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { return nil }
            return Int(bytes[index] - 0x30)
        }

        mutating func digit() -> Int? {
            guard let value = peekDigit else { return nil }
            index += 1
            return value
        }

        mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }

        mutating func sign() -> Int? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }
    }
}
