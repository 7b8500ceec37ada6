import Foundation
import Hummingbird
import Testing

@Suite struct FunnelTests {
    @Test func registrationCreatesTheTwoDefaultSharedFunnels() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let funnels = try await api.funnels(account.access)
            #expect(funnels.map(\.name) == ["Food", "Misc"])
            #expect(funnels.map(\.emoji) == ["🍞", "🛍️"])
            #expect(funnels.map(\.color) == ["#ffa500", "#48d1cc"])
            #expect(funnels.map(\.limit) == [2000, 2000])
            #expect(funnels.map(\.remaining) == [2000, 2000])
            #expect(funnels.map(\.spent) == [0, 0])
            #expect(funnels.allSatisfy { $0.shared && $0.owner == "alice" })
            #expect(funnels.map(\.position) == [0, 1])
            // The old fields come first, as the old client had them.
            let text = try await api.get("/funnel/", token: account.access).text
            #expect(text.hasPrefix("[{"))
            let raw = try #require(try await api.get("/funnel/", token: account.access).json() as? [[String: Any]])
            #expect(raw.allSatisfy { Set(["id", "name", "limit", "color", "emoji", "remaining", "daily"]).isSubset(of: $0.keys) })
        }
    }

    @Test func createAnswers201WithABareStringID() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let reply = try await api.post(
                "/funnel/", token: account.access, json: ["name": "  Travel ", "limit": 150.5, "color": "RED", "emoji": "✈️"])
            #expect(reply.status == .created)
            #expect(reply.headers[.contentType] == "application/json")
            #expect(reply.text.hasPrefix("\"") && reply.text.hasSuffix("\""))
            let id = try reply.decode(String.self)
            #expect(UUID(uuidString: id) != nil)
            let funnel = try await api.funnel(id, account.access)
            #expect(funnel.name == "Travel")
            #expect(funnel.limit == dec("150.5"))
            #expect(funnel.color == "#ff0000")
            #expect(funnel.emoji == "✈️")
            #expect(funnel.shared == false)
            #expect(funnel.owner == "alice")
            #expect(funnel.position == 2)
            #expect(try await api.funnels(account.access).map(\.id).last == id)
            // Case of the id in the path does not matter.
            #expect(try await api.get("/funnel/\(id.uppercased())", token: account.access).status == .ok)
        }
    }

    @Test func unknownFunnelIDsAreNotFound() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            for id in [UUID().uuidString, "not-a-uuid"] {
                for method in [HTTPRequest.Method.get, .delete] {
                    let reply = try await api.send(method, "/funnel/\(id)", token: account.access)
                    #expect(reply.status == .notFound)
                    #expect(reply.text == #"{"detail":"Funnel does not exist"}"#)
                }
                let put = try await api.put("/funnel/\(id)", token: account.access, json: ["limit": 1])
                #expect(put.text == #"{"detail":"Funnel does not exist"}"#)
            }
        }
    }

    /// docs/architecture.md's worked example: period starts on the 15th, today is Sep 20 → Sep 15–Oct 14,
    /// length 30, 24 days after today — in the household's time zone.
    @Test func theWorkedExampleInTheHouseholdTimeZone() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "Europe/Berlin"))
        try await withApp(clock: clock, configure: { $0.timeZone = "Europe/Berlin"; $0.periodStartDay = 15 }) { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, limit: "3000")
            _ = try await api.createSpending(account.access, funnel: id, amount: "150", timestamp: millis(instant(2025, 9, 15, 0, 0, in: "Europe/Berlin")))
            // Just before the period: not counted.
            _ = try await api.createSpending(account.access, funnel: id, amount: "1000", timestamp: millis(instant(2025, 9, 15, 0, 0, in: "Europe/Berlin")) - 1)

            let overview = try await api.overview(account.access)
            #expect(overview.period.length == 30)
            #expect(overview.period.daysAfterToday == 24)
            #expect(overview.period.start == millis(instant(2025, 9, 15, in: "Europe/Berlin")))
            #expect(overview.period.end == millis(instant(2025, 10, 15, in: "Europe/Berlin")))
            let funnel = try #require(overview.funnels.first { $0.id == id })
            #expect(funnel.spent == 150)
            #expect(funnel.remaining == 2850)
            #expect(funnel.daily == 450)  // 2850 − 3000 × 24 / 30
            #expect(funnel.perDay == 114)  // 2850 / 25
            #expect(funnel.perDayFromTomorrow == dec("118.75"))  // 2850 / 24
            #expect(try await api.funnel(id, account.access) == funnel)
        }
    }

    @Test func periodsFollowTheHouseholdTimeZoneNotUTC() async throws {
        // 00:30 on Sep 15 in Berlin is still Sep 14 in UTC.
        let clock = TestClock(instant(2025, 9, 15, 0, 30, in: "Europe/Berlin"))
        try await withApp(clock: clock, configure: { $0.timeZone = "Europe/Berlin"; $0.periodStartDay = 15 }) { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, limit: "300")
            _ = try await api.createSpending(account.access, funnel: id, amount: "10", timestamp: millis(instant(2025, 9, 14, 23, 59, in: "Europe/Berlin")))
            _ = try await api.createSpending(account.access, funnel: id, amount: "20", timestamp: millis(instant(2025, 9, 15, 0, 1, in: "Europe/Berlin")))
            let overview = try await api.overview(account.access)
            #expect(overview.period.start == millis(instant(2025, 9, 15, in: "Europe/Berlin")))
            #expect(overview.period.length == 30)
            #expect(overview.period.daysAfterToday == 29)
            let funnel = try #require(overview.funnels.first { $0.id == id })
            #expect(funnel.spent == 20)
            #expect(funnel.daily == -10)  // 280 − 300 × 29 / 30
            #expect(funnel.perDay == dec("9.33"))  // 280 / 30, rounded down to the cent
            #expect(funnel.perDayFromTomorrow == dec("9.65"))  // 280 / 29, rounded down to the cent
            // The default GET /spending/ is this period up to now.
            #expect(try await api.spendings(account.access, query: "").map(\.amount) == [20])

            // The owner moves the household to UTC: now it is Sep 14, the previous period's last day.
            #expect(try await api.patch("/household", token: account.access, json: ["time_zone": "UTC"]).status == .ok)
            let utc = try await api.overview(account.access)
            #expect(utc.period.start == millis(instant(2025, 8, 15, in: "UTC")))
            #expect(utc.period.length == 31)
            #expect(utc.period.daysAfterToday == 0)
            let inUTC = try #require(utc.funnels.first { $0.id == id })
            // Both spendings fall on Sep 14 in UTC.
            #expect(inUTC.spent == 30)
            #expect(inUTC.remaining == 270)
            #expect(inUTC.daily == 270)
            #expect(inUTC.perDay == 270)
            #expect(inUTC.perDayFromTomorrow == nil)  // the period's last day
        }
    }

    @Test func changingTheLimitMidPeriodChangesTheFiguresAtOnce() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "UTC"))
        try await withApp(clock: clock, configure: { $0.periodStartDay = 15 }) { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, limit: "3000")
            _ = try await api.createSpending(account.access, funnel: id, amount: "150")
            // Read (and let the server cache) the figures first.
            #expect(try await api.funnel(id, account.access).daily == 450)
            #expect(try await api.overview(account.access).funnels.first { $0.id == id }?.remaining == 2850)

            #expect(try await api.put("/funnel/\(id)", token: account.access, json: ["limit": 1500]).status == .noContent)
            let after = try await api.funnel(id, account.access)
            #expect(after.limit == 1500)
            #expect(after.remaining == 1350)
            #expect(after.daily == 150)  // 1350 − 1500 × 24 / 30
            #expect(try await api.overview(account.access).funnels.first { $0.id == id } == after)
            #expect(try await api.funnels(account.access).first { $0.id == id } == after)

            #expect(try await api.patch("/funnel/\(id)", token: account.access, json: ["limit": 0]).status == .noContent)
            #expect(try await api.funnel(id, account.access).remaining == -150)

            // A new period start day changes the period at once too.
            #expect(try await api.patch("/household", token: account.access, json: ["period_start_day": 1]).status == .ok)
            let overview = try await api.overview(account.access)
            #expect(overview.period.start == millis(instant(2025, 9, 1, in: "UTC")))
            #expect(overview.period.daysAfterToday == 10)
        }
    }

    @Test func spendingsChangeTheFiguresAtOnce() async throws {
        let clock = TestClock(instant(2025, 9, 20, 12, 0, in: "UTC"))
        try await withApp(clock: clock, configure: { $0.periodStartDay = 15 }) { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, limit: "3000")
            let other = try await api.createFunnel(account.access, limit: "100")
            func figures() async throws -> (Decimal, Decimal, Decimal) {
                let funnel = try await api.funnel(id, account.access)
                return (funnel.spent, funnel.remaining, funnel.daily)
            }
            #expect(try await figures() == (0, 3000, 600))
            let spending = try await api.createSpending(account.access, funnel: id, amount: "100.25")
            #expect(try await figures() == (dec("100.25"), dec("2899.75"), dec("499.75")))
            #expect(try await api.put("/spending/\(spending)", token: account.access, json: ["amount": 200]).status == .noContent)
            #expect(try await figures() == (200, 2800, 400))
            // A refund counts negative.
            let refund = try await api.createSpending(account.access, funnel: id, amount: "-50")
            #expect(try await figures() == (150, 2850, 450))
            // Moved out of the period, then to another funnel.
            let lastPeriod = millis(instant(2025, 9, 14, 23, 59, in: "UTC"))
            #expect(try await api.patch("/spending/\(refund)", token: account.access, json: ["timestamp": .number(String(lastPeriod))]).status == .noContent)
            #expect(try await figures() == (200, 2800, 400))
            #expect(try await api.put("/spending/\(spending)", token: account.access, json: ["funnel_id": .string(other)]).status == .noContent)
            #expect(try await figures() == (0, 3000, 600))
            #expect(try await api.funnel(other, account.access).remaining == -100)
            #expect(try await api.delete("/spending/\(spending)", token: account.access).status == .noContent)
            #expect(try await api.funnel(other, account.access).remaining == 100)
            #expect(try await api.get("/spending/\(spending)", token: account.access).status == .notFound)
        }
    }

    @Test func deletingAFunnelDeletesItsSpendings() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access)
            let kept = try await api.createFunnel(account.access)
            let gone = try await api.createSpending(account.access, funnel: id, amount: "5")
            let stays = try await api.createSpending(account.access, funnel: kept, amount: "7")
            _ = try await api.overview(account.access)
            let reply = try await api.delete("/funnel/\(id)", token: account.access)
            #expect(reply.status == .noContent)
            #expect(reply.body.isEmpty)
            #expect(try await api.get("/funnel/\(id)", token: account.access).status == .notFound)
            #expect(try await api.get("/spending/\(gone)", token: account.access).status == .notFound)
            #expect(try await api.spendings(account.access).map(\.id) == [stays])
            let overview = try await api.overview(account.access)
            #expect(!overview.funnels.contains { $0.id == id })
            #expect(overview.recent.map(\.id) == [stays])
            #expect(try await api.delete("/funnel/\(id)", token: account.access).status == .notFound)
        }
    }

    static let colors: [(String, String)] = [
        ("#abc", "#aabbcc"), ("#AABBCC", "#aabbcc"), ("#a1B2c3", "#a1b2c3"), ("rgb(1, 2, 3)", "#010203"), ("RGB(255,255,255)", "#ffffff"),
        ("MediumTurquoise", "#48d1cc"), ("orange", "#ffa500"), (" red ", "#ff0000"),
    ]

    @Test(arguments: colors)
    func colorFormsNormalizeToLowercaseHex(color: String, expected: String) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, color: color)
            #expect(try await api.funnel(id, account.access).color == expected)
            #expect(try await api.put("/funnel/\(id)", token: account.access, json: ["color": .string(color.uppercased())]).status == .noContent)
            #expect(try await api.funnel(id, account.access).color == expected)
        }
    }

    @Test(arguments: ["", "#ab", "#abcd", "#ggg", "#aabbccdd", "abc", "rgb(256, 0, 0)", "rgb(1, 2)", "rgb(-1,2,3)", "rgba(1,2,3,1)", "notacolor", "#ＡＢＣ", "#１２３"])
    func badColorsAreRefused(_ color: String) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let reply = try await api.post("/funnel/", token: account.access, json: ["name": "x", "limit": 1, "color": .string(color), "emoji": "🎈"])
            #expect(reply.status == .unprocessableContent, "\(reply)")
            #expect(reply.issues.first?.loc == ["body", "color"])
            let funnel = try #require(try await api.funnels(account.access).first)
            let put = try await api.put("/funnel/\(funnel.id)", token: account.access, json: ["color": .string(color)])
            #expect(put.status == .unprocessableContent)
            #expect(try await api.funnel(funnel.id, account.access).color == funnel.color)
        }
    }

    /// What the old client's plain text box let people type is kept as typed.
    @Test(arguments: ["👨‍👩‍👧‍👦", "🇩🇪", "👍🏽", "🍞", "❤️", "🏳️‍🌈", "1️⃣", "🛍️", "x", "$", "🍕🍔", "🇩🇪🇫🇷", "é", "Food €", "12345678", "👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦"])
    func shortLabelsAreAccepted(_ emoji: String) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, emoji: emoji)
            #expect(try await api.funnel(id, account.access).emoji == emoji)
        }
    }

    @Test(arguments: ["", " ", "\u{3000}", "123456789", "🍞🍞🍞🍞🍞🍞🍞🍞🍞", "a\u{0}", "a\nb", "\t", "a\u{7F}", "x\u{2028}", "\u{202E}abc", "a\u{2066}b", "\u{200F}"])
    func blankLongOrControlLabelsAreRefused(_ emoji: String) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let reply = try await api.post("/funnel/", token: account.access, json: ["name": "x", "limit": 1, "color": "red", "emoji": .string(emoji)])
            #expect(reply.status == .unprocessableContent, "\(reply)")
            #expect(reply.issues.first?.loc == ["body", "emoji"])
        }
    }

    static let badFunnelFields: [(String, JSON)] = [
        ("name", ""), ("name", "   "), ("name", .string(String(repeating: "n", count: 65))), ("limit", -1), ("limit", .raw("1.234")),
        ("limit", .raw("100000000000.01")), ("limit", .raw("1e400")), ("limit", "12"), ("limit", nil), ("position", .raw("1.5")),
        ("position", -1), ("position", .raw("9223372036854775807")),
    ]

    @Test(arguments: badFunnelFields)
    func badFunnelFieldsAreRefused(field: String, value: JSON) async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let body: JSON = ["name": "x", "limit": 1, "color": "red", "emoji": "🎈"]
            // A new funnel always goes last, whatever position it names: positions are set by PUT.
            let reply = field == "position"
                ? try await api.put("/funnel/\(try await api.funnels(account.access)[0].id)", token: account.access, json: [field: value])
                : try await api.post("/funnel/", token: account.access, json: body.with(field, value))
            #expect(reply.isValidationList, "\(reply)")
            // Foundation's JSONDecoder reports a number it cannot represent (1e400, 1.5 as an Int)
            // as unreadable JSON, without the field's path.
            let loc = try #require(reply.issues.first?.loc)
            #expect(loc == ["body", field] || loc == ["body"] && reply.issues.first?.type == "json_invalid")
            #expect(try await api.funnels(account.access).count == 2)
        }
    }

    @Test func aLimitOf0AndLongNamesWithin64AreFine() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, name: String(repeating: "ü", count: 64), limit: "0")
            let funnel = try await api.funnel(id, account.access)
            #expect(funnel.limit == 0)
            #expect(funnel.remaining == 0)
            #expect(funnel.perDay == 0)
        }
    }

    @Test func putKeepsWhatItDoesNotName() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access, name: "Books", limit: "20", color: "#010203", emoji: "📚")
            #expect(try await api.put("/funnel/\(id)", token: account.access, json: ["name": "Comics", "shared": true]).status == .noContent)
            let funnel = try await api.funnel(id, account.access)
            #expect(funnel.name == "Comics")
            #expect(funnel.shared)
            #expect(funnel.limit == 20)
            #expect(funnel.color == "#010203")
            #expect(funnel.emoji == "📚")
        }
    }

    @Test func reorderingFunnels() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access)
            let before = try await api.funnels(account.access).map(\.id)
            #expect(try await api.put("/funnel/order", token: account.access, json: ["ids": [.string(id)]]).status == .noContent)
            #expect(try await api.funnels(account.access).map(\.id) == [id] + before.dropLast())
            let unknown = try await api.put("/funnel/order", token: account.access, json: ["ids": [.string(UUID().uuidString)]])
            #expect(unknown.status == .notFound)
        }
    }

    @Test func hugePositionsAreHandled() async throws {
        try await withApp { api in
            let account = try await api.register("alice")
            let id = try await api.createFunnel(account.access)
            let reply = try await api.put("/funnel/\(id)", token: account.access, json: ["position": .raw("9223372036854775807")])
            #expect(reply.isValidationList)
            #expect(try await api.put("/funnel/\(id)", token: account.access, json: ["position": 1_000_000]).status == .noContent)
            // Creating the next funnel must still work.
            let next = try await api.post("/funnel/", token: account.access, json: ["name": "n", "limit": 1, "color": "red", "emoji": "🎈"])
            #expect(next.status == .created, "\(next)")
        }
    }
}
