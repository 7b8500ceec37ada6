@testable import App
import Synchronization
import Testing

@Suite struct IdleMemoryReleaseTests {
    /// The activity the service polls: while `busy`, every poll sees a new request; otherwise
    /// none. Counting the polls makes the test independent of how fast the machine is.
    final class Probe: Sendable {
        let busy = Atomic<Bool>(true)
        let requests = Atomic<UInt64>(0)
        let polls = Atomic<Int>(0)
        let releases = Atomic<Int>(0)

        func poll() -> UInt64 {
            polls.add(1, ordering: .sequentiallyConsistent)
            if busy.load(ordering: .sequentiallyConsistent) { requests.add(1, ordering: .sequentiallyConsistent) }
            return requests.load(ordering: .sequentiallyConsistent)
        }

        /// Waits (in real time, bounded) until `condition` holds.
        func wait(_ what: Comment, until condition: () -> Bool) async throws {
            for _ in 0..<2_000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
            #expect(condition(), what)
        }
    }

    @Test func releasesOnceAfterEachQuietSpellAndNeverWhileBusy() async throws {
        let probe = Probe()
        let service = IdleMemoryRelease(
            activity: { probe.poll() }, quiet: .milliseconds(2),
            release: { probe.releases.add(1, ordering: .sequentiallyConsistent) })
        let running = Task { try await service.run() }
        defer { running.cancel() }

        // Busy: many intervals pass, each with a request, and nothing is released.
        try await probe.wait("the service polls") { probe.polls.load(ordering: .sequentiallyConsistent) >= 20 }
        #expect(probe.releases.load(ordering: .sequentiallyConsistent) == 0)

        // Quiet: released once, and not again however long the quiet lasts.
        probe.busy.store(false, ordering: .sequentiallyConsistent)
        try await probe.wait("released after a quiet interval") { probe.releases.load(ordering: .sequentiallyConsistent) == 1 }
        let polled = probe.polls.load(ordering: .sequentiallyConsistent)
        try await probe.wait("quiet polls go on") { probe.polls.load(ordering: .sequentiallyConsistent) >= polled + 10 }
        #expect(probe.releases.load(ordering: .sequentiallyConsistent) == 1)

        // A request ends the spell; the next quiet spell releases again.
        probe.busy.store(true, ordering: .sequentiallyConsistent)
        let busyFrom = probe.polls.load(ordering: .sequentiallyConsistent)
        try await probe.wait("busy polls") { probe.polls.load(ordering: .sequentiallyConsistent) >= busyFrom + 3 }
        probe.busy.store(false, ordering: .sequentiallyConsistent)
        try await probe.wait("released after the second quiet spell") { probe.releases.load(ordering: .sequentiallyConsistent) == 2 }

        running.cancel()
        _ = try? await running.value
    }
}
