import Budget
import Foundation
import Storage

extension MemberView {
    /// The funnel's figures now: computed, never stored, so a new limit or spending shows at once.
    func output(_ funnel: FunnelRecord, spent: Int64, daysAfterToday: Int, directory: Directory) -> FunnelOutput {
        let allowance = Allowance(limit: funnel.limitMinor, spent: spent, periodLength: period.length, daysAfterToday: daysAfterToday)
        return FunnelOutput(
            id: funnel.id, name: funnel.name, limit: money(funnel.limitMinor), color: funnel.color, emoji: funnel.emoji,
            remaining: money(allowance.remaining), daily: money(allowance.daily), perDay: money(allowance.perDay),
            spent: money(spent), shared: funnel.shared, owner: directory.member(id: funnel.ownerID)?.username ?? "",
            position: funnel.position)
    }

    func outputs(daysAfterToday: Int, directory: Directory) -> [FunnelOutput] {
        funnels.map { output($0.funnel, spent: $0.spent, daysAfterToday: daysAfterToday, directory: directory) }
    }
}

extension SpendingRecord {
    func output(exponent: Int, directory: Directory) -> SpendingOutput {
        SpendingOutput(
            id: id, amount: Money(minorUnits: amountMinor, exponent: exponent).decimal, timestamp: timestamp,
            funnelID: funnelID, note: note, user: directory.member(id: userID)?.username ?? "")
    }
}
