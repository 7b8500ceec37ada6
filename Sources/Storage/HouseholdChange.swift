import Synchronization

/// One committed change a household's members may be told about (GET /events): what changed,
/// which row, and who may see it. Made by `HouseholdChangeTracking` from the database's own
/// triggers, so every write path, cascades included, produces them.
public struct HouseholdChange: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case spendingCreated = "spending.created"
        case spendingChanged = "spending.changed"
        case spendingDeleted = "spending.deleted"
        case funnelCreated = "funnel.created"
        case funnelChanged = "funnel.changed"
        case funnelDeleted = "funnel.deleted"
        case householdChanged = "household.changed"
        case membersChanged = "members.changed"
        /// More changes in one transaction than are worth telling one by one (an import).
        case many = "changes"
    }

    public let householdId: String
    public let kind: Kind
    /// The changed row (a spending's, funnel's, user's or household's id); nil for `.many`.
    public let id: String?
    /// The funnel of a changed spending or the changed funnel.
    public let funnelId: String?
    /// The only member who may see it (a personal funnel's owner), or nil: every member.
    public let audience: String?

    public init(householdId: String, kind: Kind, id: String?, funnelId: String?, audience: String?) {
        self.householdId = householdId
        self.kind = kind
        self.id = id
        self.funnelId = funnelId
        self.audience = audience
    }
}

/// Hands each committed transaction's changes to whoever observes them (the event hub). Called
/// on the writer's queue right after the commit, so observers must be quick.
public final class HouseholdChangeFeed: Sendable {
    private let observers = Mutex<[@Sendable ([HouseholdChange]) -> Void]>([])

    public init() {}

    public func observe(_ observer: @escaping @Sendable ([HouseholdChange]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func publish(_ changes: [HouseholdChange]) {
        for observer in observers.withLock({ $0 }) { observer(changes) }
    }
}
