#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What the server process keeps resident beyond what it uses. Measured on the release binary:
/// of 41 MB resident when idle, 4 MB were heap and 37 MB the executable's own code and
/// constants, mapped from the file and faulted in while starting (Foundation, the migrations,
/// BoringSSL, the router), each fault mapping a 64 KiB run around the page it needed; under
/// load, glibc's per-thread malloc arenas (up to 8 a core) kept another 9 MB of freed memory.
public enum ProcessMemory {
    /// At most two malloc arenas, whatever the thread count: NIO, Swift's cooperative pool and
    /// GRDB's readers are ~20 threads, and each arena holds freed memory for its own threads.
    /// Set before the service starts its threads.
    public static func limitMallocArenas() {
        #if canImport(Glibc)
        _ = glibcMallopt(glibcArenaMax, 2)
        #endif
    }

    /// Drops the executable's clean code pages from this process's resident set (they stay in
    /// the OS page cache, so one needed again costs a minor fault, not a disk read). Called once
    /// the service is serving (what starting touched is rarely run again, and what requests use
    /// comes back on the first ones) and by `releaseIdleMemory`. Only read-only executable mappings with no private dirty
    /// page are released; the relocated data (RELRO, .data) is never touched.
    /// Returns the bytes that were resident in the released mappings.
    @discardableResult
    public static func releaseCodePages() -> Int {
        #if os(Linux)
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let smaps = ownSmaps()
        else { return 0 }
        var released = 0
        for mapping in releasable(Mapping.parse(smaps), executable: executable) {
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 { released += mapping.residentKiB * 1024 }
        }
        return released
        #else
        return 0
        #endif
    }

    /// What a quiet server gives back: the code pages the last requests faulted in (as above)
    /// and the heap glibc keeps free at the top of each arena and in whole free pages
    /// (`malloc_trim(0)`).
    public static func releaseIdleMemory() {
        releaseCodePages()
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        #endif
    }

    /// The executable's read-only code mappings with no private copy of a page (smaps'
    /// "Anonymous"): releasing one costs nothing but minor faults. One whose text was written
    /// (relocated in place, a debugger's breakpoint) would lose that, so it is kept. smaps'
    /// "Private_Dirty" is no guide: it also counts file pages not yet written back, as in a
    /// binary just built or copied.
    static func releasable(_ mappings: [Mapping], executable: String) -> [Mapping] {
        mappings.filter { $0.path == executable && $0.permissions == "r-xp" && $0.anonymousKiB == 0 }
    }

    /// This process's /proc/self/smaps. Read to its end by FileHandle: the file reports a size
    /// of 0, and `String(contentsOfFile:)` returned only its first 4 KiB.
    static func ownSmaps() -> String? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"), let data = try? handle.readToEnd() else { return nil }
        try? handle.close()
        return String(decoding: data, as: UTF8.self)
    }

    /// One mapping of /proc/self/smaps: its range, permissions, file, resident size and the
    /// part of it that is private copies ("Anonymous").
    struct Mapping: Equatable {
        var start: UInt
        var end: UInt
        var permissions: String
        var path: String
        var residentKiB = 0
        var anonymousKiB = 0

        static func parse(_ smaps: String) -> [Mapping] {
            var mappings: [Mapping] = []
            for line in smaps.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard let first = fields.first else { continue }
                if first.hasSuffix(":") {
                    guard !mappings.isEmpty, fields.count >= 2, let value = Int(fields[1]) else { continue }
                    switch first {
                    case "Rss:": mappings[mappings.count - 1].residentKiB = value
                    case "Anonymous:": mappings[mappings.count - 1].anonymousKiB = value
                    default: break
                    }
                } else {
                    let bounds = first.split(separator: "-")
                    guard bounds.count == 2, fields.count >= 5, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16)
                    else { continue }
                    // The path is the rest of the line (it may hold spaces); anonymous mappings have none.
                    let path = fields.count > 5 ? fields[5...].joined(separator: " ") : ""
                    mappings.append(Mapping(start: start, end: end, permissions: String(fields[1]), path: path))
                }
            }
            return mappings
        }
    }
}

#if canImport(Glibc)
/// glibc's `mallopt` and `M_ARENA_MAX` (malloc.h), which the Glibc module does not import. Two
/// C ints in, one out: the same registers in Swift's calling convention.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let glibcArenaMax: Int32 = -8
/// glibc's `malloc_trim(size_t pad)` (malloc.h, not in the Glibc module either).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
