import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What keeps idle, slow and too many connections from starving the server (docs/architecture.md,
/// "Connections"): Hummingbird's idle timeout closes a connection that sends nothing, sends its
/// headers too slowly or sits idle between requests; `RequestDeadlineHandler` closes one whose
/// request keeps trickling in; `ConnectionCapHandler` closes connections over the cap at once,
/// so the server never runs out of file descriptors; and the open-file limit is raised first.
enum ConnectionGuards {
    static func http1(settings: AppSettings, logger: Logger) -> HTTP1Channel.Configuration {
        let cap = ConnectionCap(limit: settings.maxConnections)
        let requestTimeout = TimeAmount.seconds(Int64(settings.requestTimeout))
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                ConnectionCapHandler(cap: cap, logger: logger),
                RequestDeadlineHandler(timeout: requestTimeout),
            ],
            idleTimeout: .seconds(Int64(settings.idleTimeout)))
    }

    /// Raises the soft open-file limit to the hard one (the default soft 1 024 is far below what
    /// the kernel allows), and answers the limit in force.
    @discardableResult
    static func raiseOpenFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}

/// How many connections are open, shared by every connection's handler.
final class ConnectionCap: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; false when it is over the limit (it is counted all the same,
    /// and `leave()` uncounts it).
    func enter() -> Bool {
        open.wrappingAdd(1, ordering: .relaxed).newValue <= limit
    }

    func leave() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}

/// Closes a connection accepted over the cap before it is read.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let cap: ConnectionCap
    let logger: Logger

    init(cap: ConnectionCap, logger: Logger) {
        self.cap = cap
        self.logger = logger
    }

    // NIO calls these two exactly once each per handler, so the count stays balanced.
    func handlerAdded(context: ChannelHandlerContext) {
        if !cap.enter() {
            logger.warning("Too many connections: closing a new one", metadata: ["limit": "\(cap.limit)"])
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cap.leave()
    }
}

/// Closes a connection whose request has not fully arrived `timeout` after its head did: a
/// declared body that never comes, or a chunked body that never ends. (Between requests and
/// before the head, Hummingbird's idle timeout applies.)
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { loopBound.value.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
