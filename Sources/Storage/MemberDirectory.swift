import GRDB
import Synchronization

/// Who every user is and which household they belong to, kept in memory in step with the
/// `user` table: every authenticated request needs it, and a family's directory is tiny.
/// Only the stores write users, and they update the directory after each commit.
public final class MemberDirectory: Sendable {
    public struct Member: Sendable, Equatable {
        public let id: String
        public let username: String
        public let householdId: String
        public let role: MemberRole
    }

    private let members: Mutex<[String: Member]>
    /// Fired after a member is added, renamed or moved.
    public let changed = ChangeSignal()

    init(db: some DatabaseReader) throws {
        let users = try db.read { db in try UserRecord.fetchAll(db) }
        members = Mutex(Dictionary(uniqueKeysWithValues: users.map { ($0.id, Member($0)) }))
    }

    public func member(id: String) -> Member? {
        members.withLock { $0[id] }
    }

    func update(_ user: UserRecord) {
        members.withLock { $0[user.id] = Member(user) }
        changed.fire()
    }
}

extension MemberDirectory.Member {
    init(_ user: UserRecord) {
        self.init(id: user.id, username: user.username, householdId: user.householdId, role: user.role)
    }
}
