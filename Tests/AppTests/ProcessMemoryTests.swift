import Foundation
import Testing

@testable import App

@Suite struct ProcessMemoryTests {
    @Test func smapsAreReadWithTheirSizesAndPaths() {
        let smaps = """
            55b99ef15000-55b9a1e0e000 r-xp 00000000 fe:01 1234                       /app/stracker
            Size:              48100 kB
            Rss:               28924 kB
            Anonymous:             0 kB
            55b9a1e0f000-55b9a1f54000 r--p 02ef9000 fe:01 1234                       /app/stracker
            Rss:                1300 kB
            Anonymous:          1300 kB
            7fec98000000-7fec9810f000 rw-p 00000000 00:00 0
            Rss:                1084 kB
            7fec9f000000-7fec9f001000 r-xp 00000000 fe:01 99                         /tmp/a name with spaces
            Rss:                   4 kB
            """
        let mappings = ProcessMemory.Mapping.parse(smaps)
        #expect(mappings.count == 4)
        #expect(mappings[0] == .init(start: 0x55b99ef15000, end: 0x55b9a1e0e000, permissions: "r-xp", path: "/app/stracker", residentKiB: 28924, anonymousKiB: 0))
        #expect(mappings[1].anonymousKiB == 1300 && mappings[1].permissions == "r--p")
        #expect(mappings[2].path == "" && mappings[2].residentKiB == 1084)
        #expect(mappings[3].path == "/tmp/a name with spaces")
    }

    /// Only the executable's unmodified code is released: its relocated data (RELRO, here r--p),
    /// a code mapping with private copies of pages, the heap and other files are never touched.
    /// The release itself is checked below on this test runner, and on the release binary
    /// serving requests in e2e/test_api_memory.py.
    @Test func onlyTheExecutablesCleanCodeIsReleasable() {
        let smaps = """
            1000-2000 r-xp 00000000 fe:01 1 /app/stracker
            Rss:                   4 kB
            Anonymous:             0 kB
            2000-3000 r--p 00001000 fe:01 1 /app/stracker
            Rss:                   4 kB
            Anonymous:             4 kB
            3000-4000 rw-p 00002000 fe:01 1 /app/stracker
            Rss:                   4 kB
            Anonymous:             4 kB
            4000-5000 r-xp 00003000 fe:01 1 /app/stracker
            Rss:                   4 kB
            Anonymous:             4 kB
            5000-6000 r-xp 00000000 fe:01 2 /usr/lib/libc.so.6
            Rss:                   4 kB
            Anonymous:             0 kB
            6000-7000 r-xp 00000000 00:00 0
            Rss:                   4 kB
            """
        let chosen = ProcessMemory.releasable(ProcessMemory.Mapping.parse(smaps), executable: "/app/stracker")
        #expect(chosen.map(\.start) == [0x1000])
    }

    #if os(Linux)
    /// On this very process: the executable's code is given back to the OS and still runs.
    @Test func startupPagesAreReleasedAndTheCodeStillRuns() throws {
        func residentCodeKiB() throws -> Int {
            let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            let smaps = try #require(ProcessMemory.ownSmaps())
            return ProcessMemory.releasable(ProcessMemory.Mapping.parse(smaps), executable: executable).map(\.residentKiB).reduce(0, +)
        }
        let before = try residentCodeKiB()
        let released = ProcessMemory.releaseCodePages()
        #expect(released > 0, "before \(before) KiB, released \(released) bytes")
        // Code runs again at once (each page a minor fault), and what is resident is far less.
        #expect(WireJSON.wireKey("funnelId") == "funnel_id")
        #expect(try residentCodeKiB() < before / 2, "before \(before) KiB")
    }
    #endif
}
