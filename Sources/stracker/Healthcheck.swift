import App
import ArgumentParser
import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Docker's HEALTHCHECK: GET /healthz on the local port over a plain socket, or over TLS when
/// the service serves HTTPS, so the runtime image needs no curl (and the binary no libcurl).
struct Healthcheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Exit 0 when the local service answers /healthz with 200.")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let settings = try await settings.load()
        let healthy = settings.servesTLS ? await Self.isHealthyOverTLS(port: settings.port) : Self.isHealthy(port: settings.port)
        guard healthy else { throw ExitCode.failure }
    }

    /// The same request over TLS. The certificate is not verified: this asks our own process on
    /// the loopback address whether it answers, sends nothing secret, and must keep working
    /// while a certificate is expired or names only the family's host name.
    static func isHealthyOverTLS(port: Int) async -> Bool {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                var answer = ""
                for try await chunk in inbound {
                    answer += String(buffer: chunk)
                    if answer.utf8.count >= 12 { break }
                }
                return answer.hasPrefix("HTTP/1.1 200")
            }
        } catch {
            return false
        }
    }

    static func isHealthy(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 12 else { return false }
        let statusLine = String(decoding: buffer[0..<count], as: UTF8.self)
        return statusLine.hasPrefix("HTTP/1.1 200") || statusLine.hasPrefix("HTTP/1.0 200")
    }
}
