import Foundation
import Hummingbird
import Testing

@testable import App

private let allTime = "timestamp_from=-1&timestamp_to=253402300800000"

@Suite struct ExportTests {
    @Test func theExportListsEveryVisibleSpendingOldestFirstInLocalTime() async throws {
        try await withApp(configure: { $0.timeZone = "Europe/Berlin" }) { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let food = try await api.funnels(alice.access)[0].id
            let secret = try await api.createFunnel(alice.access, name: "Gifts", shared: false)
            // Either side of Berlin's spring change (2025-03-30 01:00 UTC).
            _ = try await api.createSpending(alice.access, funnel: food, amount: "12.5", timestamp: 1_743_296_399_999, note: "bread, milk")
            _ = try await api.createSpending(bob.access, funnel: food, amount: "-3", timestamp: 1_743_296_400_000, note: #"=HYPERLINK("x") "quoted""#)
            _ = try await api.createSpending(alice.access, funnel: secret, amount: "40", timestamp: 1_743_300_000_000, note: "line 1\nline 2")

            let csv = try await api.get("/export.csv", token: alice.access)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix(#"attachment; filename="stracker-2025-09-20.csv""#) == true)
            #expect(csv.headers[.cacheControl] == "no-store")
            #expect(csv.text == """
                date,amount,currency,funnel,who,note\r
                2025-03-30T01:59:59.999+01:00,12.50,EUR,Food,alice,"bread, milk"\r
                2025-03-30T03:00:00.000+02:00,-3.00,EUR,Food,bob,"'=HYPERLINK(""x"") ""quoted\"""\r
                2025-03-30T04:00:00.000+02:00,40.00,EUR,Gifts,alice,"line 1
                line 2"\r

                """)
            // Bob does not see Alice's personal funnel, so neither does his export.
            let bobs = try await api.get("/export.csv", token: bob.access)
            #expect(bobs.text.split(separator: "\r\n").count == 3)
            #expect(!bobs.text.contains("Gifts"))
        }
    }

    @Test func theJSONExportHasTheSameRowsWithIdsAndInstants() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let food = try await api.funnels(alice.access)[0]
            let id = try await api.createSpending(alice.access, funnel: food.id, amount: "0.05", timestamp: 86_400_000, note: "tab\there")
            let reply = try await api.get("/export.csv?format=json", token: alice.access)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/json")
            #expect(reply.text == #"[{"id":"\#(id)","date":"1970-01-02T00:00:00.000Z","timestamp":86400000,"amount":0.05,"currency":"EUR","funnel":"Food","funnel_id":"\#(food.id)","who":"alice","note":"tab\there"}]"#)
            #expect(try await api.get("/export.csv?format=xml", token: alice.access).isValidationList)
            #expect(try await api.get("/export.csv").status == .forbidden)
        }
    }

    @Test func anEmptyHouseholdExportsTheHeaderOrAnEmptyArray() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            #expect(try await api.get("/export.csv", token: alice.access).text == "date,amount,currency,funnel,who,note\r\n")
            #expect(try await api.get("/export.csv?format=json", token: alice.access).text == "[]")
        }
    }

    @Test func pagesFollowEachOtherWithoutLosingSpendingsOfTheSameInstant() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let food = try await api.funnels(alice.access)[0].id
            // More than a page, many sharing one millisecond: the cursor must not skip or repeat any.
            let count = ExportController.pageSize + 7
            let rows = (0..<count).map { index in
                "1970-01-02T00:00:00.\(index % 2 == 0 ? "000" : "001")Z,\(index + 1),EUR,Food,alice,n\(index)"
            }
            let imported = try await api.send(.post, "/import", token: alice.access, body: "date,amount,currency,funnel,who,note\n" + rows.joined(separator: "\n"))
            #expect(imported.status == .ok, "\(imported)")
            let exported = try await api.get("/export.csv?format=json", token: alice.access)
            let list = try #require(try exported.json() as? [[String: Any]])
            #expect(list.count == count)
            #expect(Set(list.compactMap { $0["note"] as? String }).count == count)
            let stamps = list.compactMap { $0["timestamp"] as? Int64 }
            #expect(stamps == stamps.sorted())
            _ = food
        }
    }
}

@Suite struct ImportTests {
    private static let header = "date,amount,currency,funnel,who,note\n"

    @Test func anExportImportsBackIntoAnEmptyHouseholdWithIdenticalTotals() async throws {
        try await withApp(configure: { $0.timeZone = "America/New_York" }) { api in
            let alice = try await api.register("alice")
            let funnels = try await api.funnels(alice.access)
            for (index, amount) in ["12.34", "0.01", "-5", "99999.99", "7"].enumerated() {
                _ = try await api.createSpending(
                    alice.access, funnel: funnels[index % 2].id, amount: amount,
                    timestamp: 1_741_500_000_000 + Int64(index) * 3_600_000, note: index == 1 ? "=1+1, \"x\"" : "")
            }
            let csv = try await api.get("/export.csv", token: alice.access).text

            let bob = try await api.register("bob")
            let dry = try await api.send(.post, "/import?dry_run=1", token: bob.access, body: csv)
            #expect(dry.text == #"{"created":5,"dry_run":true,"duplicates":0,"funnels_created":[],"rows":5}"#)
            #expect(try await api.spendings(bob.access, query: allTime).isEmpty)

            let done = try await api.send(.post, "/import", token: bob.access, body: csv)
            #expect(done.text == #"{"created":5,"dry_run":false,"duplicates":0,"funnels_created":[],"rows":5}"#)
            let theirs = try await api.spendings(alice.access, query: allTime)
            let ours = try await api.spendings(bob.access, query: allTime)
            #expect(ours.map(\.amount) == theirs.map(\.amount))
            #expect(ours.map(\.timestamp) == theirs.map(\.timestamp))
            #expect(ours.map(\.note) == theirs.map(\.note))
            let names = Dictionary(uniqueKeysWithValues: try await api.funnels(bob.access).map { ($0.id, $0.name) })
            let aliceNames = Dictionary(uniqueKeysWithValues: funnels.map { ($0.id, $0.name) })
            #expect(ours.map { names[$0.funnelId] } == theirs.map { aliceNames[$0.funnelId] })
            #expect(ours.reduce(Decimal(0)) { $0 + $1.amount } == theirs.reduce(Decimal(0)) { $0 + $1.amount })

            // The same file again: every row is already there.
            let again = try await api.send(.post, "/import", token: bob.access, body: csv)
            #expect(again.text == #"{"created":0,"dry_run":false,"duplicates":5,"funnels_created":[],"rows":5}"#)
            #expect(try await api.spendings(bob.access, query: allTime).count == 5)
        }
    }

    @Test func badRowsAreNamedByLineAndColumnAndNothingIsStored() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let body = Self.header + """
                2025-09-01T10:00:00Z,12.50,EUR,Food,,fine
                2025-09-01,12.345,EUR,Food,,
                yesterday,1,EUR,Food,,
                2025-09-01,1,USD,Food,,
                2025-09-01,1,EUR,Holidays,,
                2025-09-01,0,EUR,Food,,
                2025-09-01,"1,50",EUR,Food,,
                2025-09-01,1,EUR,,,
                """
            let reply = try await api.send(.post, "/import", token: alice.access, body: body)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.issues.map(\.loc) == [
                ["body", "3", "amount"], ["body", "4", "date"], ["body", "5", "currency"], ["body", "6", "funnel"],
                ["body", "7", "amount"], ["body", "8", "amount"], ["body", "9", "funnel"],
            ])
            let messages = (reply.object?["detail"] as? [[String: Any]] ?? []).compactMap { $0["msg"] as? String }
            #expect(messages[0] == #"Line 3, column amount: "12.345" has more than 2 decimal places"#)
            #expect(messages[3] == #"Line 6, column funnel: no funnel "Holidays" (yours: "Food", "Misc"); add create_funnels=1 to create it"#)
            #expect(try await api.spendings(alice.access, query: allTime).isEmpty)
        }
    }

    @Test func unknownFunnelsAreCreatedWhenAskedAndColumnsOfOtherAppsAreMappedByName() async throws {
        try await withApp(configure: { $0.timeZone = "Europe/Berlin" }) { api in
            let alice = try await api.register("alice")
            let body = "Datum,Betrag,Kategorie,Notiz\n2025-09-01 10:00,1.5,Geschenke,Blumen\n2025-09-02,2,geschenke,\n2025-09-03,3,FOOD,\n"
            let query = "date_column=Datum&amount_column=Betrag&funnel_column=Kategorie&note_column=Notiz"
            let refused = try await api.send(.post, "/import?\(query)", token: alice.access, body: body)
            // Errors name the file's own column.
            #expect(refused.issues.map(\.loc) == [["body", "2", "Kategorie"], ["body", "3", "Kategorie"]])

            let reply = try await api.send(.post, "/import?\(query)&create_funnels=1", token: alice.access, body: body)
            #expect(reply.text == #"{"created":3,"dry_run":false,"duplicates":0,"funnels_created":["Geschenke"],"rows":3}"#)
            let funnels = try await api.funnels(alice.access)
            let gifts = try #require(funnels.first { $0.name == "Geschenke" })
            #expect(gifts.shared && gifts.limit == 0 && gifts.emoji == "G" && gifts.position == 2)
            #expect(!funnels.dropLast().map(\.color).contains(gifts.color))
            let spendings = try await api.spendings(alice.access, query: allTime)
            // 10:00 in Berlin in September is 08:00 UTC; a date alone is local midnight.
            #expect(spendings.map(\.timestamp).sorted() == [1_756_713_600_000, 1_756_764_000_000, 1_756_850_400_000])
            #expect(spendings.filter { $0.funnelId == gifts.id }.count == 2)
            #expect(spendings.contains { $0.note == "Blumen" })

            let missing = try await api.send(.post, "/import?amount_column=Sum", token: alice.access, body: Self.header)
            #expect(missing.issues.map(\.loc) == [["query", "amount_column"]])
        }
    }

    @Test func theOwnerKeepsWhoMadeEachSpendingAndAMemberImportsAsThemselves() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob", invite: try await api.invite(alice.access))
            let body = Self.header + "2025-09-01,1,EUR,Food,bob,\n2025-09-02,2,EUR,Food,alice,\n2025-09-03,3,EUR,Food,stranger,\n"
            #expect(try await api.send(.post, "/import", token: alice.access, body: body).status == .ok)
            let byOwner = try await api.spendings(alice.access, query: allTime)
            #expect(byOwner.sorted { $0.timestamp < $1.timestamp }.map(\.user) == ["bob", "alice", "alice"])

            let moved = body.replacingOccurrences(of: "2025-09", with: "2025-08")
            #expect(try await api.send(.post, "/import", token: bob.access, body: moved).status == .ok)
            let august = try await api.spendings(bob.access, query: "timestamp_from=1754006399999&timestamp_to=1756684800000")
            #expect(august.count == 3 && august.allSatisfy { $0.user == "bob" })
        }
    }

    @Test func whatIsNotACSVIsRefusedClearly() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            for (body, message) in [
                ("", "The file is empty: it needs a header row (date,amount,currency,funnel,who,note)"),
                (Self.header + "2025-09-01,1,EUR,\"Food,,\n", "Line 2: a quoted field is never closed"),
                (Self.header + "2025-09-01,1,EUR,\"Food\"x,,\n", "Line 2: text after a closing quote"),
            ] {
                let reply = try await api.send(.post, "/import", token: alice.access, body: body)
                #expect(reply.status == .unprocessableContent)
                let detail = (reply.object?["detail"] as? [[String: Any]])?.first?["msg"] as? String
                #expect(detail == message)
            }
            let binary = try await api.send(.post, "/import", token: alice.access, bytes: [0xFF, 0xFE, 0x00, 0x41])
            #expect(binary.isValidationList)
            let flag = try await api.send(.post, "/import?dry_run=maybe", token: alice.access, body: Self.header)
            #expect(flag.issues.map(\.loc) == [["query", "dry_run"]])
            #expect(try await api.send(.post, "/import", body: Self.header).status == .forbidden)
        }
    }

    @Test func aLargeFileIsAcceptedUpToItsOwnLimitAndRefusedBeyond() async throws {
        try await withApp { api in
            let alice = try await api.register("alice")
            // Far beyond the 64 KiB other routes take.
            let rows = (0..<5000).map { "1970-01-02T00:00:00.\(String(format: "%03d", $0 % 1000))Z,\($0 + 1),EUR,Food,alice,\(String(repeating: "n", count: 40))" }
            let reply = try await api.send(.post, "/import", token: alice.access, body: Self.header + rows.joined(separator: "\n"))
            #expect(reply.status == .ok, "\(reply)")
            #expect(reply.object?["created"] as? Int == 5000)
            var headers = HTTPFields()
            headers[.contentLength] = String(ImportController.maxBytes + 1)
            let declared = try await api.send(.post, "/import", token: alice.access, headers: headers)
            #expect(declared.status == .contentTooLarge)
        }
    }
}

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsLineBreaksAndEmptyFields() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, \"\"y\"\"\",\r\n\n\"multi\nline\",\"\",3\n4,5"
        #expect(try CSVReader.records(Array(text.utf8)) == [
            .init(line: 1, fields: ["a", "b", "c"]),
            .init(line: 2, fields: ["1", "x, \"y\"", ""]),
            .init(line: 4, fields: ["multi\nline", "", "3"]),
            .init(line: 6, fields: ["4", "5"]),
        ])
        #expect(try CSVReader.records(Array("\"\"".utf8)) == [.init(line: 1, fields: [""])])
        #expect(try CSVReader.records([]) == [])
    }

    @Test func namesTheLineOfABrokenQuote() {
        #expect(throws: CSVReader.Failure.unclosedQuote(line: 2)) { try CSVReader.records(Array("a\n\"b\nc".utf8)) }
        #expect(throws: CSVReader.Failure.textAfterQuote(line: 1)) { try CSVReader.records(Array("\"a\"b,c".utf8)) }
    }

    @Test func readsBackWhatTheExportWrites() throws {
        let values = ["plain", "a,b", "say \"hi\"", "two\nlines", "=1+1", "-3", "@me", "'quoted", "", "\r\nboth"]
        let line = values.map(CSVText.field).joined(separator: ",")
        let read = try CSVReader.records(Array(line.utf8))
        #expect(read.count == 1)
        #expect(read[0].fields.map(CSVText.unguarded) == values)
    }
}

@Suite struct JSONTextTests {
    /// Byte for byte what the API's JSONEncoder writes for the same strings.
    @Test func escapesAsTheEncoderDoes() throws {
        let values = ["", "plain", "quote \" and backslash \\", "slash / stays", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}",
                      "Grüße 🍞🍕 👨‍👩‍👧", "\u{2028}\u{2029}", "</script>"]
        for value in values {
            let encoded = String(decoding: try WireJSON.encoder.encode(value), as: UTF8.self)
            #expect(JSONText.string(value) == encoded, "\(value.debugDescription)")
        }
    }
}
