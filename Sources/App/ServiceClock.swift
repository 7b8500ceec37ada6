import Foundation

/// The service's clock: every route reads "now" from it, so tests can move it.
public struct ServiceClock: Sendable {
    public let now: @Sendable () -> Date

    public init(_ now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = ServiceClock(Date.init)

    /// Whole seconds since the epoch (token times).
    var seconds: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
    /// Milliseconds since the epoch (the API's timestamps).
    var millis: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }
}
