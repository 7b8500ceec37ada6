/// Every store over one database, with the in-memory mirrors they keep in step.
public struct Storage: Sendable {
    public let database: StrackerDatabase
    public let accounts: AccountStore
    public let sessions: SessionStore
    public let households: HouseholdStore
    public let funnels: FunnelStore
    public let spendings: SpendingStore
    public let versions: HouseholdVersions

    public init(database: StrackerDatabase) throws {
        let pool = database.pool
        let directory = try Directory(db: pool)
        let versions = HouseholdVersions()
        self.database = database
        self.versions = versions
        self.accounts = AccountStore(db: pool, directory: directory, versions: versions)
        self.sessions = SessionStore(db: pool, revocations: try RevocationList(db: pool))
        self.households = HouseholdStore(db: pool, directory: directory, versions: versions)
        self.funnels = FunnelStore(db: pool, versions: versions)
        self.spendings = SpendingStore(db: pool, versions: versions)
    }

    public var directory: Directory { accounts.directory }
}
