import Foundation

extension PeriodRule {
    /// `count` consecutive periods, the first the one containing `millis`. The same periods as
    /// stepping with `period(after:)`, but each boundary is asked of the calendar once (the
    /// stored periods of a household are hundreds of them, made when it is created).
    public func periods(fromMillis millis: Int64, count: Int) -> [BudgetPeriod] {
        guard count > 0 else { return [] }
        var periods = [period(containingMillis: millis)]
        periods.reserveCapacity(count)
        while periods.count < count {
            let last = periods[periods.count - 1]
            let firstDay = last.firstDay.adding(months: 1)
            let nextFirstDay = firstDay.adding(months: 1)
            let next = BudgetPeriod(
                firstDay: firstDay, nextFirstDay: nextFirstDay,
                startSecond: floorDivide(last.endMillis, 1000), endSecond: firstSecond(of: nextFirstDay))
            // `period(after:)` clamps at the last instant handled (9999-12-31) and repeats the
            // period containing it; the sequence stops there.
            guard next.startMillis <= Instant.maxMillis, next.endMillis > next.startMillis else { break }
            periods.append(next)
        }
        return periods
    }
}
