/// What a funnel allows in its period, computed from current figures and never stored, so a
/// changed limit, spending or period rule shows everywhere at once. All figures are minor units.
///
/// - `remaining = limit − spent`
/// - `daily = remaining − ⌈limit × daysAfterToday / length⌉`: what may be spent today while every
///   later day of the period keeps its even share of the limit. The reserved share is rounded UP,
///   so `daily` rounds toward negative infinity and never overstates what may be spent.
/// - `perDay = ⌊remaining / (daysAfterToday + 1)⌋`: the remainder spread evenly over today and the
///   days left; rounded toward negative infinity for the same reason (also when overspent).
/// - `perDayFromTomorrow = ⌊remaining / daysAfterToday⌋`: what each later day may spend if
///   nothing more is spent today (what a day "ahead of plan" leaves for the rest); `nil` on the
///   last day, which has no later day in its period.
///
/// All may be negative. On the last day (`daysAfterToday == 0`) the first three equal `remaining`.
/// Arithmetic is done in Int128 and the results saturate at the Int64 bounds, so no input traps.
public struct Allowance: Sendable, Hashable {
    public let limit: Int64
    /// Sum of the period's spendings; refunds count negative.
    public let spent: Int64
    public let remaining: Int64
    public let daily: Int64
    public let perDay: Int64
    public let perDayFromTomorrow: Int64?

    /// `periodLength` below 1 counts as 1, and `daysAfterToday` is clamped to `0...periodLength`,
    /// the range in which "the rest of the period's share" means something.
    public init(limit: Int64, spent: Int64, periodLength: Int, daysAfterToday: Int) {
        let length = Int128(max(periodLength, 1))
        let daysAfter = min(max(Int128(daysAfterToday), 0), length)
        let remaining = Int128(limit) - Int128(spent)
        let reserved = ceilDivide(Int128(limit) * daysAfter, length)
        self.limit = limit
        self.spent = spent
        self.remaining = Int64(clamping: remaining)
        self.daily = Int64(clamping: remaining - reserved)
        self.perDay = Int64(clamping: floorDivide(remaining, daysAfter + 1))
        self.perDayFromTomorrow = daysAfter > 0 ? Int64(clamping: floorDivide(remaining, daysAfter)) : nil
    }
}
