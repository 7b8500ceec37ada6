/// What a store refuses, in words a route can turn into an HTTP answer.
public enum StorageError: Error, Equatable, Sendable {
    case usernameTaken
    case inviteInvalid
    /// The caller's household is gone (they were moved or it was never there).
    case householdNotFound
    /// No such funnel among those the caller may see.
    case funnelNotFound
    /// No such spending among those the caller may see.
    case spendingNotFound
    /// No such member in the caller's household.
    case memberNotFound
    /// A different spending already has the client-chosen id.
    case conflict
    /// The household's only member cannot leave or be removed.
    case lastMember
    /// Making this funnel personal or deleting it would take other members' spendings out of
    /// their sight, which only the household owner may do.
    case holdsOthersSpendings
    /// The spending would move to a funnel its author cannot see.
    case outOfAuthorsSight
}
