import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage
import Testing

@testable import App

/// web/openapi.yaml and the router describe the same API: every operation the document names is
/// registered, and every route the router registers is documented or answers 405 (the method
/// guards `answerMethodNotAllowed` adds). The examples are validated by e2e/test_api_openapi.py.
@Suite struct OpenAPIContractTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("web/openapi.yaml")

    struct Operation: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method) \(path)" }
    }

    /// The operations under `paths:`: a two-space-indented path, then four-space-indented methods.
    static func documented() throws -> Set<Operation> {
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head"]
        var operations: Set<Operation> = []
        var inPaths = false
        var path: String?
        for line in try String(contentsOf: document, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:"; path = nil; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
                methods.contains(String(line.dropFirst(4).dropLast()))
            {
                operations.insert(Operation(method: String(line.dropFirst(4).dropLast()).uppercased(), path: current))
            }
        }
        return operations
    }

    /// `/funnel/:id` as OpenAPI spells it: `/funnel/{id}`, no trailing slash.
    static func openAPIPath(_ path: String) -> String {
        let parts = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        return "/" + parts.joined(separator: "/")
    }

    @Test func theDocumentAndTheRouterNameTheSameOperations() async throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("stracker-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = AppSettings()
        settings.dataDir = folder
        let database = try StrackerDatabase(path: settings.databasePath)
        defer { try? database.close() }
        let router = try await buildRouter(stores: try Stores(database: database), settings: settings, clock: .system, logger: Logger(label: "test"))
        let registered = Set(router.routes.map { Operation(method: $0.method.rawValue, path: Self.openAPIPath($0.path.description)) })
        let documented = try Self.documented()
        #expect(documented.count > 20)

        let missingRoutes = documented.subtracting(registered)
        #expect(missingRoutes.isEmpty, "documented but not registered: \(missingRoutes.sorted { $0.description < $1.description })")

        // What the router has beyond the document must be the 405 guards.
        let undocumented = registered.subtracting(documented)
        try await withApp { api in
            for operation in undocumented.sorted(by: { $0.description < $1.description }) {
                let path = operation.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                    .replacingOccurrences(of: "{username}", with: "nobody")
                let reply = try await api.send(HTTPRequest.Method(operation.method)!, path)
                #expect(reply.status == .methodNotAllowed, "\(operation) is registered, answers \(reply.status), and is not in web/openapi.yaml")
            }
        }
    }
}
