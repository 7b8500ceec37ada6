import Foundation
import Storage

/// What the routes share: settings, stores, keys and the clock.
public struct AppServices: Sendable {
    public let settings: AppSettings
    public let storage: Storage
    let tokens: TokenService
    let secrets: SecretBox
    let usernameThrottle: LoginThrottle
    let addressThrottle: LoginThrottle
    let trustedProxies: [IPRange]
    let overviews: OverviewCache
    /// The service's clock; tests move it.
    public let now: @Sendable () -> Date

    public init(settings: AppSettings, storage: Storage, now: @escaping @Sendable () -> Date = Date.init) async throws {
        let keys = try KeyMaterial.load(settings: settings)
        self.settings = settings
        self.storage = storage
        self.tokens = await TokenService(signingKey: keys.signingKey, accessTTL: settings.accessTTL, refreshTTL: settings.refreshTTL)
        self.secrets = SecretBox(key: keys.encryptionKey)
        self.usernameThrottle = LoginThrottle(policy: .init(limit: 5, window: 15 * 60, lockout: Int64(settings.loginLockout)))
        self.addressThrottle = LoginThrottle(policy: .init(limit: 30, window: 15 * 60, lockout: Int64(settings.loginLockout)))
        self.trustedProxies = settings.trustedProxies.compactMap(IPRange.init)
        self.overviews = OverviewCache(storage: storage)
        self.now = now
    }

    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
    var nowMillis: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }
}
