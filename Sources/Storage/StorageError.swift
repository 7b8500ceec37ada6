/// What a store refuses, in words a route can turn into an HTTP answer.
public enum StorageError: Error, Equatable, Sendable {
    case usernameTaken
    case inviteInvalid
    case notFound
    case conflict
    case lastMember
}
