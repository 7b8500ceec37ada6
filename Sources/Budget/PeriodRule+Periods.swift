import Foundation

extension PeriodRule {
    /// The period `date` falls in (instants outside 1600...9999 are clamped first).
    public func period(containing date: Date) -> BudgetPeriod {
        period(containingMillis: Instant.seconds(flooring: date) * 1000)
    }

    public func period(containingMillis millis: Int64) -> BudgetPeriod {
        let millis = Instant.clamped(millis: millis)
        let today = localDate(atSecond: floorDivide(millis, 1000))
        let thisMonth = LocalDate(unchecked: today.year, today.month, startDay)
        var period = period(firstDay: today.day >= startDay ? thisMonth : thisMonth.adding(months: -1))
        // The local date decides the period; the instant checks it. They can only disagree if a
        // zone's clock ran backwards across midnight, and then one step fixes it. Bounded, so a
        // pathological zone cannot loop.
        for _ in 0..<2 where millis < period.startMillis {
            period = self.period(firstDay: period.firstDay.adding(months: -1))
        }
        for _ in 0..<2 where millis >= period.endMillis {
            period = self.period(firstDay: period.firstDay.adding(months: 1))
        }
        return period
    }

    /// The period that starts where `p` ends.
    public func period(after p: BudgetPeriod) -> BudgetPeriod {
        period(containingMillis: p.endMillis)
    }

    /// The period that ends where `p` starts.
    public func period(before p: BudgetPeriod) -> BudgetPeriod {
        period(containingMillis: p.startMillis - 1)
    }

    /// Whole local days after `now`'s local date up to the period's last day: 0 on the last day,
    /// `length - 1` on the first. Clamped to that range when `now` is outside the period, so the
    /// allowance figures stay meaningful (and a day the zone skipped is simply not counted).
    public func daysAfterToday(in period: BudgetPeriod, now: Date) -> Int {
        daysAfterToday(in: period, nowMillis: Instant.seconds(flooring: now) * 1000)
    }

    public func daysAfterToday(in period: BudgetPeriod, nowMillis: Int64) -> Int {
        let today = localDate(atSecond: floorDivide(Instant.clamped(millis: nowMillis), 1000))
        return min(max(today.days(to: period.lastDay), 0), max(period.length - 1, 0))
    }

    /// The allowance of a funnel with `limit` that has `spent` in `period`, as of `now`.
    public func allowance(limit: Int64, spent: Int64, in period: BudgetPeriod, now: Date) -> Allowance {
        Allowance(limit: limit, spent: spent, periodLength: period.length,
                  daysAfterToday: daysAfterToday(in: period, now: now))
    }

    /// The period whose first day is `firstDay`.
    func period(firstDay: LocalDate) -> BudgetPeriod {
        let nextFirstDay = firstDay.adding(months: 1)
        return BudgetPeriod(
            firstDay: firstDay, nextFirstDay: nextFirstDay,
            startSecond: firstSecond(of: firstDay), endSecond: firstSecond(of: nextFirstDay))
    }
}
