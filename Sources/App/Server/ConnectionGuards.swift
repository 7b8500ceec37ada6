import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOHTTPTypes
import NIOSSL
import NIOTLS
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What keeps idle, slow and too many connections from starving the server (docs/architecture.md,
/// "Connections"): Hummingbird's idle timeout closes a connection that sends nothing, sends its
/// headers too slowly or sits idle between requests; `RequestDeadlineHandler` closes one whose
/// request keeps trickling in; `ConnectionCapHandler` closes connections over the cap at once,
/// so the server never runs out of file descriptors; `HandshakeDeadlineHandler` closes a TLS
/// connection that never finishes its handshake; and the open-file limit is raised first.
enum ConnectionGuards {
    /// Plain HTTP/1.1.
    static func http1(settings: AppSettings, logger: Logger) -> HTTPServerBuilder {
        let cap = ConnectionCap(limit: settings.maxConnections)
        let stream = streamConfiguration(settings: settings)
        return HTTPServerBuilder { responder in
            GuardedChannel(base: HTTP1Channel(responder: responder, configuration: stream), cap: cap, logger: logger)
        }
    }

    /// HTTPS: HTTP/2 when the client offers it in ALPN, else HTTP/1.1; each handshake is served
    /// the reloader's current certificate, and a connection that has not finished its handshake
    /// within IDLE_TIMEOUT is closed.
    static func https(settings: AppSettings, certificates: CertificateReloader, logger: Logger) -> HTTPServerBuilder {
        let cap = ConnectionCap(limit: settings.maxConnections)
        let identity = certificates.identity
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: identity.chain.map { .certificate($0) }, privateKey: .privateKey(identity.privateKey))
        tls.minimumTLSVersion = .tlsv12
        tls.sslContextCallback = certificates.contextCallback
        let configuration = tls
        let http2 = HTTP2ChannelConfiguration(
            idleTimeout: .seconds(settings.idleTimeout), streamConfiguration: streamConfiguration(settings: settings))
        let handshakeTimeout = TimeAmount.seconds(Int64(settings.idleTimeout))
        return HTTPServerBuilder { responder in
            GuardedChannel(
                base: try HTTP2UpgradeChannel(tlsConfiguration: configuration, configuration: http2, responder: responder),
                cap: cap, handshakeTimeout: handshakeTimeout, logger: logger)
        }
    }

    /// What each HTTP/1.1 connection or HTTP/2 stream gets.
    private static func streamConfiguration(settings: AppSettings) -> HTTP1Channel.Configuration {
        let requestTimeout = TimeAmount.seconds(Int64(settings.requestTimeout))
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(timeout: requestTimeout)],
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

/// A server's child channel with the connection-level guards in front of its own pipeline: the
/// cap first (at the socket, so that an HTTP/2 connection counts once, not once per stream)
/// and, with TLS, the handshake deadline right after the TLS handler, whose events it watches.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let cap: ConnectionCap
    var handshakeTimeout: TimeAmount?
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionCapHandler(cap: cap, logger: self.logger))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        let value = base.setup(channel: channel, logger: logger)
        if let handshakeTimeout {
            do {
                let tls = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
                try channel.pipeline.syncOperations.addHandler(HandshakeDeadlineHandler(timeout: handshakeTimeout), position: .after(tls))
            } catch {
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        return value
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Closes a connection accepted over the cap before it is read.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

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

/// Closes a TLS connection whose handshake has not completed `timeout` after it was accepted
/// (before the handshake, no HTTP handler and so no idle timeout is in the pipeline yet).
final class HandshakeDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var deadline: ConnectionDeadline

    init(timeout: TimeAmount) {
        deadline = ConnectionDeadline(timeout: timeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        deadline.start(context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Passed on first: the protocol negotiation after this handler waits for the same event.
        context.fireUserInboundEventTriggered(event)
        if case .handshakeCompleted = event as? TLSUserEvent {
            deadline.cancel()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline.cancel()
    }
}

/// A close of the connection `timeout` from when it is started, unless cancelled first.
struct ConnectionDeadline {
    let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    mutating func start(_ context: ChannelHandlerContext) {
        scheduled?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        scheduled = context.eventLoop.scheduleTask(in: timeout) { loopBound.value.close(promise: nil) }
    }

    mutating func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}

/// Closes a connection whose request has not fully arrived `timeout` after its head did: a
/// declared body that never comes, or a chunked body that never ends. (Between requests and
/// before the head, Hummingbird's idle timeout applies.)
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var deadline: ConnectionDeadline

    init(timeout: TimeAmount) {
        deadline = ConnectionDeadline(timeout: timeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadline.start(context)
        case .end: deadline.cancel()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline.cancel()
    }
}
