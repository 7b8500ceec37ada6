import Storage

extension EventHub {
    /// A hub fed by the database's committed changes, whose streams stay open while their
    /// session is live and their member still belongs to the household; this server's own
    /// sign-outs and membership changes close streams at once.
    static func connected(to stores: Stores, clock: ServiceClock) -> EventHub {
        let sessions = stores.sessions.live
        let directory = stores.directory
        let boot = String(UInt32.random(in: .min ... .max), radix: 36)
        let hub = EventHub(boot: boot) { owner in
            if !sessions.admits(userId: owner.userId, sessionId: owner.sessionId, issuedAt: owner.issuedAt) { return .signedOut }
            if directory.member(id: owner.userId)?.householdId != owner.householdId { return .leftHousehold }
            return nil
        }
        stores.database.changes.observe { changes in hub.publish(changes) }
        sessions.revoked.observe { hub.review(now: clock.seconds) }
        directory.changed.observe { hub.review(now: clock.seconds) }
        return hub
    }
}
