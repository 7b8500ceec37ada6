/// Every store over one database, with the in-memory mirrors they keep in step.
public struct Stores: Sendable {
    public let database: StrackerDatabase
    public let accounts: AccountStore
    public let sessions: SessionStore
    public let households: HouseholdStore
    public let funnels: FunnelStore
    public let spendings: SpendingStore
    public let snapshots: SnapshotStore
    public let enrolments: EnrolmentStore
    public let directory: MemberDirectory

    public init(database: StrackerDatabase) throws {
        let pool = database.pool
        let directory = try MemberDirectory(db: pool)
        self.database = database
        self.directory = directory
        let live = try LiveSessions(path: pool.path)
        self.accounts = AccountStore(db: pool, directory: directory, live: live)
        self.sessions = SessionStore(db: pool, live: live)
        self.households = HouseholdStore(db: pool, directory: directory)
        self.funnels = FunnelStore(db: pool)
        self.spendings = SpendingStore(db: pool, commits: database.groupCommit)
        self.snapshots = SnapshotStore(db: pool)
        self.enrolments = EnrolmentStore(db: pool, live: live)
    }

    /// Advanced by the database after each commit that changes what a household's members see.
    public var versions: HouseholdVersions { database.versions }
}
