import Foundation

/// The one crossing between our integer time and Foundation's `Date`, whose `TimeInterval` is a
/// Double. Only whole seconds cross (period boundaries are whole seconds: zone offsets are), and
/// whole seconds below 2^53 convert both ways exactly, so no rounding ever happens. Everything
/// else works in Int64 seconds or milliseconds since the Unix epoch.
enum Instant {
    /// 1600-01-01T00:00:00Z. Foundation's Gregorian calendar turns Julian before October 1582;
    /// staying after it keeps the calendar and `LocalDate` arithmetic in agreement.
    static let minSeconds = Int64(LocalDate(unchecked: 1600, 1, 1).dayNumber) * 86_400
    /// 9999-12-31T23:59:59Z, the last second the API accepts.
    static let maxSeconds = Int64(LocalDate(unchecked: 10_000, 1, 1).dayNumber) * 86_400 - 1
    static let minMillis = minSeconds * 1000
    static let maxMillis = maxSeconds * 1000 + 999

    static func date(seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The whole second containing `date`, clamped to the supported range (NaN to its start).
    /// Flooring is exact, and for bounds that are whole seconds `date < bound` exactly when
    /// `floor(date) < bound`, so containment answers stay exact.
    static func seconds(flooring date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        guard interval >= TimeInterval(minSeconds) else { return minSeconds }
        guard interval < TimeInterval(maxSeconds + 1) else { return maxSeconds }
        return Int64(interval.rounded(.down))
    }

    static func clamped(millis: Int64) -> Int64 {
        min(max(millis, minMillis), maxMillis)
    }
}
