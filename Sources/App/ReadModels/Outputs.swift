import Budget
import Foundation
import Storage

/// Wire answers from stored records: amounts in the household's currency, people by username.
extension SnapshotStore.Member {
    /// The funnel's figures at `now`: computed by Budget, never stored, so a new limit or
    /// spending shows at once.
    func output(_ total: SnapshotStore.FunnelTotal, at now: Date, directory: MemberDirectory) -> FunnelOutput {
        let funnel = total.funnel
        let allowance = rule.allowance(limit: funnel.limitMinor, spent: total.spent, in: period, now: now)
        let money = household.money
        return FunnelOutput(
            id: funnel.id, name: funnel.name, limit: money(funnel.limitMinor), color: funnel.color, emoji: funnel.emoji,
            remaining: money(allowance.remaining), daily: money(allowance.daily), perDay: money(allowance.perDay),
            perDayFromTomorrow: allowance.perDayFromTomorrow.map(money),
            spent: money(total.spent), shared: funnel.shared, owner: directory.member(id: funnel.ownerId)?.username ?? "",
            position: funnel.position)
    }

    func outputs(at now: Date, directory: MemberDirectory) -> [FunnelOutput] {
        funnels.map { output($0, at: now, directory: directory) }
    }
}

extension SpendingRecord {
    func output(exponent: Int, directory: MemberDirectory, hasReceipt: Bool) -> SpendingOutput {
        SpendingOutput(
            id: id, amount: Money(minorUnits: amountMinor, exponent: exponent).decimal, timestamp: timestamp,
            funnelId: funnelId, note: note, user: directory.member(id: userId)?.username ?? "", hasReceipt: hasReceipt)
    }
}

extension HouseholdRecord {
    /// Minor units of the household's currency as the decimal the API answers.
    func money(_ minorUnits: Int64) -> Decimal {
        Money(minorUnits: minorUnits, exponent: exponent).decimal
    }

    func output(members: [UserRecord], role: MemberRole) -> HouseholdOutput {
        HouseholdOutput(
            id: id, name: name, currency: currency, periodStartDay: periodStartDay, timeZone: timeZone, role: role.rawValue,
            members: members.map { MemberOutput(username: $0.username, role: $0.role.rawValue, joinedAt: $0.createdAt) })
    }
}
