import Foundation
import GRDB
@testable import Storage
import Testing

/// A household's spendings are listed, shown as "recent" and exported in one order (timestamp,
/// created_at, id), which one index holds: no statement sorts, and export pages resume exactly.
@Suite struct SpendingOrderTests {
    func plan(_ storage: Stores, _ sql: String, _ arguments: StatementArguments) async throws -> String {
        try await storage.database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }.joined(separator: "\n")
    }

    @Test func theListAndTheExportWalkTheIndexWithoutASort() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            let h = f.household.id
            let list = try await plan(storage, SpendingStore.listSQL(oneFunnel: false), [h, 0, testNow, h, f.user.id, 5000])
            #expect(list.contains("USING COVERING INDEX spending_listed_in_household_order"), "the list should not touch the table: \(list)")
            #expect(!list.contains("TEMP B-TREE"), "the list should come in index order: \(list)")
            let export = try await plan(storage, SpendingStore.exportPageSQL, [h, f.user.id, 0, 0, "", 2000])
            #expect(export.contains("USING COVERING INDEX spending_listed_in_household_order"), "\(export)")
            #expect(!export.contains("TEMP B-TREE"), "the export should come in index order: \(export)")
        }
    }

    @Test func exportPagesResumeAmongSpendingsOfTheSameInstant() async throws {
        try await withStorage { storage in
            let f = try await makeFixture(storage)
            // 23 spendings at one instant, 7 at another, in both funnels, stored in random id order.
            var made: [SpendingRecord] = []
            for index in 0..<30 {
                let record = spending(in: index % 2 == 0 ? f.shared : f.personal, by: f.user, amount: Int64(index + 1), at: index < 23 ? testNow : testNow - 5)
                _ = try await storage.spendings.create(record)
                made.append(record)
            }
            for pageSize in [1, 4, 7, 23, 30, 31] {
                var seen: [String] = []
                var cursor: SpendingStore.ExportCursor?
                repeat {
                    let page = try await storage.spendings.exportPage(householdId: f.household.id, userId: f.user.id, after: cursor, limit: pageSize)
                    seen += page.rows.map(\.id)
                    cursor = page.next
                } while cursor != nil
                let expected = made.sorted { ($0.timestamp, $0.createdAt, $0.id) < ($1.timestamp, $1.createdAt, $1.id) }.map(\.id)
                #expect(seen == expected, "page size \(pageSize)")
            }
        }
    }
}
