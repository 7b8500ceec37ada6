import Budget
import Foundation
import Storage

/// Turns the records of an imported CSV into spendings of the caller's household, against the
/// funnels and members stored now (it runs inside the import's transaction). Every bad row is
/// named by its line and column; any of them refuses the whole file.
struct ImportRows: Sendable {
    let records: [CSVReader.Record]
    let columns: ImportColumns
    let createFunnels: Bool
    let caller: Identity
    let now: Int64

    /// The first issues listed in a refusal; the rest are counted in its last message.
    static let maxIssues = 50
    /// Colors new funnels take, the first one no funnel of the household has.
    static let palette = ["#ffa500", "#48d1cc", "#6495ed", "#ff6347", "#9acd32", "#ba55d3", "#f4a460", "#20b2aa", "#db7093", "#708090"]

    func plan(_ context: SpendingStore.ImportContext) throws -> SpendingStore.ImportPlan {
        let household = context.household
        let exponent = household.exponent
        let zone = TimeZone(identifier: household.timeZone) ?? .gmt
        var byName: [String: FunnelRecord] = [:]
        for funnel in context.funnels.reversed() { byName[funnel.name.lowercased()] = funnel }
        let members = Dictionary(context.members.map { (UserRecord.key(for: $0.username), $0.id) }, uniquingKeysWith: { first, _ in first })

        var issues: [ValidationFailure.Issue] = []
        var issueCount = 0
        func refuse(_ record: CSVReader.Record, _ column: String, _ message: String, type: String = "value_error") {
            issueCount += 1
            guard issues.count < Self.maxIssues else { return }
            issues.append(.init(loc: ["body", .index(record.line), .key(column)], msg: "Line \(record.line), column \(column): \(message)", type: type))
        }

        var newNames: [String] = []
        var rows: [SpendingStore.ImportPlan.Row] = []
        rows.reserveCapacity(records.count)
        for record in records {
            guard let (dateText, dateColumn) = columns.value(.date, in: record),
                  let (amountText, amountColumn) = columns.value(.amount, in: record),
                  let (funnelText, funnelColumn) = columns.value(.funnel, in: record)
            else { continue }
            let timestamp = Self.instant(dateText, zone: zone)
            if timestamp == nil {
                refuse(record, dateColumn, "\"\(dateText)\" should be a date-time like 2025-09-20T12:30:00+02:00 (or a local 2025-09-20 12:30, or a date), from 1970 to 9999")
            }
            var amount: Int64?
            do {
                amount = try Money(parsing: amountText, exponent: exponent).minorUnits
                if amount == 0 { refuse(record, amountColumn, "the amount should not be zero"); amount = nil }
            } catch .tooManyDecimals(let allowed) {
                refuse(record, amountColumn, "\"\(amountText)\" has more than \(allowed) decimal places", type: "decimal_max_places")
            } catch .outOfRange {
                refuse(record, amountColumn, "\"\(amountText)\" is too large", type: "less_than_equal")
            } catch {
                refuse(record, amountColumn, "\"\(amountText)\" should be a number like 12.50 (a point for decimals, no thousands separator)", type: "decimal_parsing")
            }
            if let (currency, column) = columns.value(.currency, in: record), !currency.isEmpty, currency.uppercased() != household.currency {
                refuse(record, column, "the currency \(currency) is not the household's (\(household.currency))")
            }
            let funnelName = CSVText.unguarded(funnelText)
            var reference: SpendingStore.ImportPlan.FunnelReference?
            var shared = false
            if funnelName.isEmpty {
                refuse(record, funnelColumn, "the funnel is empty", type: "missing")
            } else if let funnel = byName[funnelName.lowercased()] {
                reference = .existing(id: funnel.id)
                shared = funnel.shared
            } else if createFunnels {
                if !newNames.contains(where: { $0.lowercased() == funnelName.lowercased() }) {
                    if (try? Validate.name(funnelName)) == nil {
                        refuse(record, funnelColumn, "the funnel name \"\(funnelName)\" should be 1 to 64 characters without control characters")
                    } else {
                        newNames.append(funnelName)
                    }
                }
                reference = .new(name: newNames.first { $0.lowercased() == funnelName.lowercased() } ?? funnelName)
                shared = true
            } else {
                let known = context.funnels.map { "\"\($0.name)\"" }.joined(separator: ", ")
                refuse(record, funnelColumn, "no funnel \"\(funnelName)\" (yours: \(known)); add create_funnels=1 to create it", type: "not_found")
            }
            var note = ""
            if let (text, column) = columns.value(.note, in: record) {
                do {
                    note = try Validate.note(CSVText.unguarded(text))
                } catch let failure as ValidationFailure {
                    refuse(record, column, failure.issues.first?.msg ?? "the note is not allowed")
                }
            }
            // The owner may carry over who made each spending (into funnels everyone sees);
            // anyone else's import is theirs.
            var userId = caller.userId
            if caller.role == .owner, shared, let (who, _) = columns.value(.who, in: record),
               let member = members[UserRecord.key(for: CSVText.unguarded(who))] {
                userId = member
            }
            if let timestamp, let amount, let reference {
                rows.append(.init(timestamp: timestamp, amountMinor: amount, funnel: reference, userId: userId, note: note))
            }
        }
        if issueCount > issues.count {
            issues.append(.init(loc: ["body"], msg: "and \(issueCount - issues.count) more rows with problems", type: "value_error"))
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }

        var colors = Set(context.funnels.map(\.color))
        let newFunnels = newNames.map { name in
            let color = Self.palette.first { !colors.contains($0) } ?? Self.palette[colors.count % Self.palette.count]
            colors.insert(color)
            return FunnelRecord(
                id: UUID().uuidString.lowercased(), householdId: "", ownerId: "", shared: true, name: name, limitMinor: 0,
                color: color, emoji: String(name.first!).uppercased(), position: 0, createdAt: now)
        }
        return .init(rows: rows, newFunnels: newFunnels)
    }

    /// Milliseconds of an ISO 8601 date-time with its offset; of a local date-time or a date
    /// (midnight) in the household's zone; or of a whole number of milliseconds.
    static func instant(_ text: String, zone: TimeZone) -> Int64? {
        let millis: Int64
        if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text) {
            millis = value
        } else if let reading = ZonedTimestamp.read(text) {
            if let exact = reading.millis {
                millis = exact
            } else {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let seconds = reading.millisOfDay / 1000
                let components = DateComponents(
                    year: reading.date.year, month: reading.date.month, day: reading.date.day,
                    hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60)
                guard let date = calendar.date(from: components) else { return nil }
                millis = Int64(date.timeIntervalSince1970.rounded(.down)) * 1000 + Int64(reading.millisOfDay % 1000)
            }
        } else {
            return nil
        }
        return (0...Validate.latestTimestamp).contains(millis) ? millis : nil
    }
}

extension CSVText {
    /// A field as it was before `field(_:)` guarded it against formulas.
    static func unguarded(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first, formulaStarts.contains(second) else { return text }
        return String(scalars.dropFirst())
    }
}
