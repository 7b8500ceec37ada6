import Foundation
import Hummingbird
import NIOCore

/// The context of every request: the peer's address, and who is signed in once the
/// authentication middleware has run.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; nil in in-process tests.
    public let peerAddress: String?
    var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies over 64 KiB are refused (413) before decoding.
    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: JSONDecoder { WireJSON.decoder }
    public var responseEncoder: WireJSON { WireJSON() }
}

/// The context of routes that require a signed-in user: it cannot exist without an identity,
/// so a route that asks for it cannot forget the check.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    public let peerAddress: String?

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw APIError.notAuthenticated }
        self.coreContext = context.coreContext
        self.identity = identity
        self.peerAddress = context.peerAddress
    }

    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: JSONDecoder { WireJSON.decoder }
    public var responseEncoder: WireJSON { WireJSON() }
}
