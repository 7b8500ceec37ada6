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

extension PeriodRule {
    /// `count` consecutive periods ending with `last`, oldest first: what stepping back with
    /// `period(before:)` gives, computed forwards (each boundary asked of the calendar once,
    /// where stepping back asks for two local dates and two boundaries per period).
    public func periods(endingWith last: BudgetPeriod, count: Int) -> [BudgetPeriod] {
        guard count > 0 else { return [] }
        let firstDay = last.firstDay.adding(months: -(count - 1))
        let forwards = periods(fromMillis: firstSecond(of: firstDay) * 1000, count: count)
        if forwards.count == count, forwards.last == last, forwards.first?.firstDay == firstDay {
            return forwards
        }
        // Near the first instant handled (1600) the calendar is clamped: step back one by one.
        var periods = [last]
        while periods.count < count {
            periods.insert(period(before: periods[0]), at: 0)
        }
        return periods
    }
}
