import Foundation
import HTTPTypes
import Hummingbird

/// Where requests come from, seen through the proxies in TRUSTED_PROXIES.
struct ClientAddresses: Sendable {
    let trustedProxies: [IPRange]

    init(trustedProxies: [String]) {
        self.trustedProxies = trustedProxies.compactMap(IPRange.init)
    }

    /// The address a request comes from: the TCP peer, or, when the peer is a trusted proxy,
    /// the nearest untrusted address of X-Forwarded-For (the rightmost ones were added by our proxies).
    func address(of request: Request, peer: String?) -> String {
        guard let peer else { return "unknown" }
        guard isTrustedProxy(peer), let forwarded = request.headers[.xForwardedFor] else { return peer }
        let chain = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for address in chain.reversed() where !isTrustedProxy(address) {
            return IPRange.bytes(of: address) != nil ? address : peer
        }
        return chain.first ?? peer
    }

    private func isTrustedProxy(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
