import Foundation
import Hummingbird
import Testing

@testable import App

@Suite struct SpendingTests {
    @Test func createAnswers201WithABareStringIDAndReadsBack() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let reply = try await api.post(
                "/spending/", token: account.access,
                json: ["amount": 12.5, "timestamp": 1_758_360_000_000, "funnel_id": .string(funnel.id), "note": " bread "])
            #expect(reply.status == .created)
            let id = try reply.decode(String.self)
            #expect(UUID(uuidString: id) != nil)
            let read = try await api.get("/spending/\(id)", token: account.access)
            #expect(read.status == .ok)
            let spending: Spending = try read.decode()
            #expect(spending == Spending(id: id, amount: dec("12.5"), timestamp: 1_758_360_000_000, funnelId: funnel.id, note: "bread", user: "alice"))
            #expect(read.text.contains(#""amount":12.5"#))
            #expect(read.text.contains(#""timestamp":1758360000000"#))
        }
    }

    @Test func aMissingTimestampMeansNow() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let id = try await api.createSpending(account.access, funnel: funnel.id, amount: "1")
            let spending: Spending = try await api.get("/spending/\(id)", token: account.access).decode()
            #expect(spending.timestamp == api.clock.millis)
        }
    }

    @Test(arguments: ["0.01", "0.1", "19.99", "1234567.89", "99999999999.99", "-0.5", "-1234567.89", "7"])
    func amountsAreExact(_ amount: String) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let id = try await api.createSpending(account.access, funnel: funnel.id, amount: amount)
            let reply = try await api.get("/spending/\(id)", token: account.access)
            #expect(reply.text.contains("\"amount\":\(amount)"), "\(reply)")
            #expect(try await api.funnel(funnel.id, account.access).spent == dec(amount))
        }
    }

    @Test func sumsStayExactOverManySpendings() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            for _ in 0..<10 {
                _ = try await api.createSpending(account.access, funnel: funnel.id, amount: "0.1")
            }
            let after = try await api.funnel(funnel.id, account.access)
            #expect(after.spent == 1)
            #expect(after.remaining == 1999)
        }
    }

    static let badSpendingFields: [(String, JSON)] = [
        ("amount", .raw("12.345")), ("amount", 0), ("amount", .raw("0.00")), ("amount", .raw("-0")), ("amount", nil), ("amount", "5"),
        ("amount", .raw("100000000000.01")), ("amount", .raw("1e20")),
        ("timestamp", -1), ("timestamp", .raw("253402300800000")), ("timestamp", .raw("1.5")), ("timestamp", "now"),
        ("funnel_id", "not a uuid"), ("funnel_id", "17/../18"), ("funnel_id", nil), ("funnel_id", 5), ("id", "nope"), ("note", .string(String(repeating: "n", count: 501))),
    ]

    @Test(arguments: badSpendingFields)
    func badSpendingFieldsAreRefused(field: String, value: JSON) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let body: JSON = ["amount": 1, "timestamp": 1_000, "funnel_id": .string(funnel.id)]
            let reply = try await api.post("/spending/", token: account.access, json: body.with(field, value))
            #expect(reply.isValidationList, "\(reply)")
            #expect(reply.issues.first?.loc == ["body", field])
            #expect(try await api.spendings(account.access).isEmpty)
        }
    }

    @Test func timestampsFrom1970ToTheEndOf9999AreFine() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            for timestamp: Int64 in [0, 253_402_300_799_999] {
                _ = try await api.createSpending(account.access, funnel: funnel.id, amount: "1", timestamp: timestamp)
            }
            // Exclusive bounds: one millisecond outside the range on each side takes in both ends.
            let all = try await api.spendings(account.access, query: "timestamp_from=-1&timestamp_to=253402300800000")
            #expect(all.map(\.timestamp) == [253_402_300_799_999, 0])
            let inside = try await api.spendings(account.access, query: "timestamp_from=0&timestamp_to=253402300799999")
            #expect(inside.isEmpty)
            let beyond = try await api.send(.get, "/spending/?timestamp_from=-2", token: account.access)
            #expect(beyond.status == .unprocessableContent)
        }
    }

    @Test func anUnknownFunnelIsNotFound() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let reply = try await api.post("/spending/", token: account.access, json: ["amount": 1, "funnel_id": .string(UUID().uuidString)])
            #expect(reply.status == .notFound)
            #expect(reply.text == #"{"detail":"Funnel does not exist"}"#)
            for method in [HTTPRequest.Method.get, .delete] {
                let missing = try await api.send(method, "/spending/\(UUID().uuidString)", token: account.access)
                #expect(missing.text == #"{"detail":"Spending does not exist"}"#)
                #expect(missing.status == .notFound)
            }
            #expect(try await api.put("/spending/\(UUID().uuidString)", token: account.access, json: ["amount": 1]).status == .notFound)
            let own = try await api.createSpending(account.access, funnel: try await api.funnels(account.access)[0].id, amount: "1")
            let moved = try await api.put("/spending/\(own)", token: account.access, json: ["funnel_id": .string(UUID().uuidString)])
            #expect(moved.status == .notFound)
            #expect(moved.detail == "Funnel does not exist")
        }
    }

    // MARK: Idempotent creates

    @Test func aClientIDMakesCreateIdempotent() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let id = UUID().uuidString.lowercased()
            let body: JSON = ["id": .string(id), "amount": 3.5, "timestamp": 1_758_360_000_000, "funnel_id": .string(funnel.id), "note": "milk"]
            let first = try await api.post("/spending/", token: account.access, json: body)
            #expect(first.status == .created)
            #expect(try first.decode(String.self) == id)
            api.clock.advance(5)
            let retry = try await api.post("/spending/", token: account.access, json: body.with("id", .string(id.uppercased())))
            #expect(retry.status == .created)
            #expect(retry.text == first.text)
            #expect(try await api.spendings(account.access).map(\.id) == [id])
            #expect(try await api.funnel(funnel.id, account.access).spent == dec("3.5"))

            let conflict = try await api.post("/spending/", token: account.access, json: body.with("amount", 4))
            #expect(conflict.status == .conflict)
            #expect(conflict.detail != nil)
            #expect(try await api.post("/spending/", token: account.access, json: body.with("note", "bread")).status == .conflict)
            #expect(try await api.spendings(account.access).map(\.amount) == [dec("3.5")])
        }
    }

    @Test func aRetryWithoutATimestampIsStillTheSameSpending() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let body: JSON = ["id": .string(UUID().uuidString), "amount": 2, "funnel_id": .string(funnel.id)]
            #expect(try await api.post("/spending/", token: account.access, json: body).status == .created)
            api.clock.advance(3)
            let retry = try await api.post("/spending/", token: account.access, json: body)
            #expect(retry.status == .created, "\(retry)")
            #expect(try await api.spendings(account.access).count == 1)
        }
    }

    @Test func twoHundredConcurrentRetriesStoreOne() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnel = try #require(try await api.funnels(account.access).first)
            let id = UUID().uuidString.lowercased()
            let body: JSON = ["id": .string(id), "amount": 9.99, "timestamp": 1_758_360_000_000, "funnel_id": .string(funnel.id)]
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await api.post("/spending/", token: account.access, json: body) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.count == 200)
            #expect(replies.allSatisfy { $0.status == .created && $0.text == "\"\(id)\"" })
            #expect(try await api.spendings(account.access).map(\.id) == [id])
            #expect(try await api.funnel(funnel.id, account.access).spent == dec("9.99"))
        }
    }

    // MARK: Listing

    @Test func listingByTimeLimitBeforeAndFunnel() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "UTC"))
        try await withApp(clock: clock) { api in
            let account = try await api.register("alice")
            let funnels = try await api.funnels(account.access)
            let food = funnels[0].id, misc = funnels[1].id
            let day: Int64 = 86_400_000
            let now = api.clock.millis
            var ids: [Int64: String] = [:]
            for (offset, funnel) in [(-30, food), (-3, food), (-2, misc), (-1, food), (0, misc), (2, food)] as [(Int64, String)] {
                ids[offset] = try await api.createSpending(account.access, funnel: funnel, amount: String(offset + 100), timestamp: now + offset * day)
            }
            // Default: this period (from Sep 1) up to now; newest first.
            #expect(try await api.spendings(account.access, query: "").map(\.id) == [ids[0]!, ids[-1]!, ids[-2]!, ids[-3]!])
            #expect(try await api.spendings(account.access, query: "timestamp_from=0").map(\.id) == [ids[0]!, ids[-1]!, ids[-2]!, ids[-3]!, ids[-30]!])
            let bounded = try await api.spendings(account.access, query: "timestamp_from=\(now - 2 * day)&timestamp_to=\(now + 2 * day)")
            #expect(bounded.map(\.id) == [ids[0]!, ids[-1]!], "both bounds are exclusive, as in the old API")
            let around = try await api.spendings(account.access, query: "timestamp_from=\(now - 2 * day - 1)&timestamp_to=\(now + 2 * day + 1)")
            #expect(around.map(\.id) == [ids[2]!, ids[0]!, ids[-1]!, ids[-2]!])
            #expect(try await api.spendings(account.access, query: "timestamp_from=0&limit=2").map(\.id) == [ids[0]!, ids[-1]!])
            #expect(try await api.spendings(account.access, query: "timestamp_from=0&limit=2&before=\(now - day)").map(\.id) == [ids[-2]!, ids[-3]!])
            #expect(try await api.spendings(account.access, query: "timestamp_from=0&funnel_id=\(food)").map(\.id) == [ids[-1]!, ids[-3]!, ids[-30]!])
            #expect(try await api.spendings(account.access, query: "timestamp_from=0&funnel_id=\(misc.uppercased())").map(\.id) == [ids[0]!, ids[-2]!])
        }
    }

    /// GET /spending/ is written by hand (SpendingListJSON); these are the bytes the encoder
    /// writes for the same `[SpendingOutput]`: keys, order, escapes, amounts in every exponent.
    @Test(arguments: ["EUR", "JPY", "KWD"]) func theListIsWhatTheEncoderWritesForTheSameSpendings(currency: String) async throws {
        try await withApp(configure: { $0.currency = currency }) { api in
            let account = try await api.register("zoë \"quoted\"")
            let funnel = try await api.funnels(account.access)[0].id
            let notes = ["", "plain", "quote \" and backslash \\", "Grüße 🍞🍕 👨‍👩‍👧", "</script> & /slashes/", "\u{2028}"]
            let amounts = [
                "EUR": ["12.5", "-3.5", "0.05", "1200", "99999999.99", "0.1", "7"],
                "JPY": ["12", "-3", "1200", "99999999", "1", "7", "100"],
                "KWD": ["12.5", "-3.5", "0.001", "1200", "9999999.999", "0.01", "7"],
            ][currency]!
            var ids: [String] = []
            for (index, amount) in amounts.enumerated() {
                ids.append(try await api.createSpending(
                    account.access, funnel: funnel, amount: amount, timestamp: api.clock.millis - Int64(index) * 1000,
                    note: notes[index % notes.count]))
            }
            let picture: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("receipt".utf8)
            #expect(try await api.send(.put, "/spending/\(ids[1])/receipt", token: account.access, bytes: picture).status == .ok)
            let reply = try await api.get("/spending/?timestamp_from=0", token: account.access)
            #expect(reply.status == .ok)
            struct Listed: Decodable { let id: String; let amount: Decimal; let timestamp: Int64; let funnelId: String; let note: String; let user: String; let hasReceipt: Bool }
            let listed = try WireJSON.decoder.decode([Listed].self, from: reply.body)
            #expect(listed.count == amounts.count)
            #expect(listed.filter(\.hasReceipt).map(\.id) == [ids[1]])
            #expect(Set(listed.map(\.user)) == ["zoë \"quoted\""])
            let outputs = listed.map {
                SpendingOutput(id: $0.id, amount: $0.amount, timestamp: $0.timestamp, funnelId: $0.funnelId, note: $0.note, user: $0.user, hasReceipt: $0.hasReceipt)
            }
            #expect(reply.text == String(decoding: try WireJSON.encoder.encode(outputs), as: UTF8.self))
            #expect(reply.headers[.contentType] == "application/json")
            // An empty page is an empty array.
            #expect(try await api.get("/spending/?timestamp_from=0&before=1", token: account.access).text == "[]")
        }
    }

    @Test func overviewIsTheMainScreenInOneCall() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "UTC"))
        try await withApp(clock: clock) { api in
            let account = try await api.register("alice")
            let funnels = try await api.funnels(account.access)
            var made: [String] = []
            for index in 0..<25 {
                made.append(try await api.createSpending(
                    account.access, funnel: funnels[index % 2].id, amount: "1", timestamp: api.clock.millis - Int64(25 - index) * 60_000))
            }
            let reply = try await api.get("/overview", token: account.access)
            #expect(reply.status == .ok)
            let object = try #require(reply.object)
            #expect(Set(["period", "currency", "funnels", "recent"]).isSubset(of: object.keys))
            #expect(Set((object["period"] as? [String: Any] ?? [:]).keys) == ["start", "end", "length", "days_after_today"])
            let overview: Overview = try reply.decode()
            #expect(overview.currency == "EUR")
            #expect(overview.period == .init(
                start: millis(instant(2025, 9, 1, in: "UTC")), end: millis(instant(2025, 10, 1, in: "UTC")), length: 30, daysAfterToday: 10))
            #expect(overview.funnels == (try await api.funnels(account.access)))
            #expect(overview.funnels.map(\.spent) == [13, 12])
            #expect(overview.recent.count == 20)
            #expect(overview.recent.map(\.id) == Array(made.reversed().prefix(20)))
            #expect(overview.recent.allSatisfy { $0.user == "alice" })
        }
    }

    @Test func historyGivesEachPeriodsSums() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "UTC"))
        try await withApp(clock: clock) { api in
            let account = try await api.register("alice")
            let food = try await api.funnels(account.access)[0].id
            _ = try await api.createSpending(account.access, funnel: food, amount: "5", timestamp: millis(instant(2025, 7, 31, 23, 59, in: "UTC")))
            _ = try await api.createSpending(account.access, funnel: food, amount: "7", timestamp: millis(instant(2025, 8, 1, in: "UTC")))
            _ = try await api.createSpending(account.access, funnel: food, amount: "11", timestamp: millis(instant(2025, 9, 2, in: "UTC")))
            let reply = try await api.get("/history?periods=3", token: account.access)
            #expect(reply.status == .ok)
            let periods = try #require(reply.object?["periods"] as? [[String: Any]])
            #expect(periods.count == 3)
            #expect(periods.map { $0["start"] as? Int } == [
                Int(millis(instant(2025, 7, 1, in: "UTC"))), Int(millis(instant(2025, 8, 1, in: "UTC"))), Int(millis(instant(2025, 9, 1, in: "UTC"))),
            ])
            let foodSpent = periods.map { period in
                ((period["funnels"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == food }?["spent"] as? Int
            }
            #expect(foodSpent == [5, 7, 11])
            let defaultCount = try await api.get("/history", token: account.access).object?["periods"] as? [Any]
            #expect(defaultCount?.count == 12)
        }
    }
}
