import Foundation
import HTTPTypes
import Testing

@testable import App

/// The PWA's files as the service sends them: gzipped twins to browsers that accept gzip, the
/// plain file to others and whenever the twin is older than its file.
@Suite struct StaticFilesTests {
    @Test(arguments: [
        ("gzip", true), ("gzip, deflate, br", true), ("br;q=1, gzip;q=0.5", true), ("*", true), ("x-gzip", true),
        ("GZIP", true), (" deflate , gzip ; q=0.001", true),
        ("", false), ("identity", false), ("br", false), ("gzip;q=0", false), ("gzip; q=0.0", false), ("*;q=0", false),
        ("gzipped", false), ("deflate", false),
    ])
    func acceptEncoding(header: String, accepts: Bool) {
        #expect(StaticFilesMiddleware<AppRequestContext>.acceptsGzip([header]) == accepts)
    }

    @Test func onlyTextFilesAreCompressed() {
        typealias Files = StaticFilesMiddleware<AppRequestContext>
        #expect(Files.compressibleMediaType(of: "app.js")?.hasPrefix("text/javascript") == true)
        #expect(Files.compressibleMediaType(of: "index.html")?.hasPrefix("text/html") == true)
        #expect(Files.compressibleMediaType(of: "app.css")?.hasPrefix("text/css") == true)
        #expect(Files.compressibleMediaType(of: "icon-192.png") == nil)
        #expect(Files.compressibleMediaType(of: "js") == nil)
    }

    @Test func aFreshTwinIsSentGzippedAndAStaleOneNever() async throws {
        let web = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: web, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: web) }
        let plain = Data("export const answer = 42;\n".utf8)
        // Not real gzip: the service sends the twin's bytes as they are, so any marker shows which file went out.
        let twin = Data("twin bytes".utf8)
        let source = (web as NSString).appendingPathComponent("app.js")
        try plain.write(to: URL(fileURLWithPath: source))
        try twin.write(to: URL(fileURLWithPath: source + ".gz"))
        let past = Date(timeIntervalSinceNow: -60)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: source)

        try await withApp(configure: { $0.webDir = web }) { api in
            let gzipped = try await api.send(.get, "/app.js", headers: [.acceptEncoding: "gzip"])
            #expect(gzipped.status == .ok && gzipped.body == twin)
            #expect(gzipped.headers[.contentEncoding] == "gzip" && gzipped.headers[.vary] == "Accept-Encoding")
            #expect(gzipped.headers[.contentType]?.hasPrefix("text/javascript") == true)
            let head = try await api.send(.head, "/app.js", headers: [.acceptEncoding: "gzip"])
            #expect(head.status == .ok && head.headers[.contentEncoding] == "gzip" && head.body.isEmpty)

            let refused = try await api.send(.get, "/app.js", headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.body == plain && refused.headers[.contentEncoding] == nil && refused.headers[.vary] == "Accept-Encoding")

            // The file edited after its twin was made: the twin is stale and the file goes out.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: source)
            let edited = try await api.send(.get, "/app.js", headers: [.acceptEncoding: "gzip"])
            #expect(edited.body == plain && edited.headers[.contentEncoding] == nil)

            // No twin at all, and a twin asked for by name, are answered as plain files are.
            try FileManager.default.removeItem(atPath: source + ".gz")
            #expect(try await api.send(.get, "/app.js", headers: [.acceptEncoding: "gzip"]).body == plain)
            #expect(try await api.get("/app.js.gz").status == .notFound)
        }
    }
}
