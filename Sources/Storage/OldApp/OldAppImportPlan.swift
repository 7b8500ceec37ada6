/// What an import of the older app's database is to write, already converted to our rules (App
/// makes it from `OldAppRows`); `StrackerDatabase.importOldApp` writes it in one transaction.
public struct OldAppImportPlan: Sendable, Equatable {
    public struct User: Sendable, Equatable {
        public var username: String
        public var otpSecret: [UInt8]

        public init(username: String, otpSecret: [UInt8]) {
            self.username = username
            self.otpSecret = otpSecret
        }
    }

    public struct Funnel: Sendable, Equatable {
        public var id: String
        /// The `username` of the planned user who owns it.
        public var owner: String
        public var name: String
        public var limitMinor: Int64
        public var color: String
        public var emoji: String
        public var createdAt: Int64

        public init(id: String, owner: String, name: String, limitMinor: Int64, color: String, emoji: String, createdAt: Int64) {
            self.id = id
            self.owner = owner
            self.name = name
            self.limitMinor = limitMinor
            self.color = color
            self.emoji = emoji
            self.createdAt = createdAt
        }
    }

    public struct Spending: Sendable, Equatable {
        public var id: String
        public var funnelId: String
        public var amountMinor: Int64
        public var timestamp: Int64

        public init(id: String, funnelId: String, amountMinor: Int64, timestamp: Int64) {
            self.id = id
            self.funnelId = funnelId
            self.amountMinor = amountMinor
            self.timestamp = timestamp
        }
    }

    /// How each new household starts.
    public struct Households: Sendable, Equatable {
        public var currency: String
        public var periodStartDay: Int
        public var timeZone: String

        public init(currency: String, periodStartDay: Int, timeZone: String) {
            self.currency = currency
            self.periodStartDay = periodStartDay
            self.timeZone = timeZone
        }
    }

    public var users: [User]
    public var funnels: [Funnel]
    public var spendings: [Spending]
    public var households: Households

    public init(users: [User], funnels: [Funnel], spendings: [Spending], households: Households) {
        self.users = users
        self.funnels = funnels
        self.spendings = spendings
        self.households = households
    }
}

/// What an import wrote, what was already there from an earlier run, and what it left out.
public struct OldAppImportOutcome: Sendable, Equatable {
    public var usersImported = 0
    public var funnelsImported = 0
    public var spendingsImported = 0
    public var usersAlreadyThere = 0
    public var funnelsAlreadyThere = 0
    public var spendingsAlreadyThere = 0
    /// One line per planned row that could not go in, saying why.
    public var skipped: [String] = []

    public init() {}
}
