/// How much of a symbol may be damaged and still decode. Level M (about 15 %) is what
/// STracker shows; the others cost nothing extra to support.
public enum QRErrorCorrection: Sendable, CaseIterable {
    case low
    case medium
    case quartile
    case high

    /// The two bits the format information carries; the standard's order is not L, M, Q, H.
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }

    /// Row of the per-level tables in `QRVersionTable`.
    var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}
