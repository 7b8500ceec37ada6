import Budget
import Foundation
import Storage
import TOTP

/// Turns the older app's rows into what our rules allow, saying what it changed or left out.
/// Pure: the database is read before and written after (`OldAppImporter`).
struct OldAppConversion {
    /// What the report lists: each line names the row (table and id) and what happened to it.
    struct Notes: Equatable {
        /// Amounts and limits that were not a whole number of minor units, rounded half-even.
        var rounded: [String] = []
        /// Rows imported with a value changed to fit (a name, a color, a label, a limit).
        var adjusted: [String] = []
        /// Rows left out, and why.
        var skipped: [String] = []
    }

    let households: OldAppImportPlan.Households
    let exponent: Int
    /// Milliseconds since the epoch: when a funnel without spendings was created.
    let now: Int64

    /// Colors for funnels whose color is missing or unreadable, in turn.
    static let palette = ["#ffa500", "#48d1cc", "#6495ed", "#ff6347", "#9acd32", "#ba55d3", "#f4a460", "#20b2aa"]

    func convert(_ rows: OldAppRows) -> (plan: OldAppImportPlan, notes: Notes) {
        var notes = Notes()
        let owners = users(rows.users, notes: &notes)
        let (funnels, funnelIds) = self.funnels(rows.funnels, owners: owners, notes: &notes)
        let spendings = self.spendings(rows.spendings, funnelIds: funnelIds, notes: &notes)
        // A funnel existed since its first spending (history then starts there), or from now.
        var first: [String: Int64] = [:]
        for spending in spendings { first[spending.funnelId] = min(first[spending.funnelId] ?? now, spending.timestamp) }
        let dated = funnels.map { funnel in
            var funnel = funnel
            funnel.createdAt = first[funnel.id] ?? now
            return funnel
        }
        return (OldAppImportPlan(users: owners.users, funnels: dated, spendings: spendings, households: households), notes)
    }

    // MARK: - Users

    struct Owners {
        var users: [OldAppImportPlan.User] = []
        /// The old app's username, exactly as its funnels refer to it, to the name imported.
        var byOldName: [String: String] = [:]

        /// The imported name of the old `user_name`: exact, as the old app compared them, else
        /// the one old name equal to it ignoring case.
        func imported(_ oldName: String?) -> String? {
            guard let oldName else { return nil }
            if let exact = byOldName[oldName] { return exact }
            let key = UserRecord.key(for: oldName)
            let matches = byOldName.filter { UserRecord.key(for: $0.key) == key }
            return matches.count == 1 ? matches.first!.value : nil
        }
    }

    func users(_ rows: [OldAppRows.User], notes: inout Notes) -> Owners {
        var owners = Owners()
        // Every name the old database has, so that renaming one never takes another's.
        let oldKeys = Set(rows.compactMap { $0.username.map(UserRecord.key(for:)) })
        var usedKeys: [String: String] = [:]
        for row in rows {
            guard let raw = row.username, let name = try? Validate.username(raw) else {
                notes.skipped.append("user row \(row.row): the username \(quoted(row.username)) is empty, longer than 64 characters or has control characters; this user and their funnels are left out")
                continue
            }
            guard owners.byOldName[raw] == nil else {
                notes.skipped.append("user row \(row.row): \(quoted(raw)) appears twice; the first one is imported")
                continue
            }
            guard let text = row.otpSecret, let secret = Base32.decode(text), !secret.isEmpty else {
                notes.skipped.append("user \(raw): the OTP secret is missing or not Base32, so nobody could sign in; this user and their funnels are left out")
                continue
            }
            var imported = name
            if let holder = usedKeys[UserRecord.key(for: name)] {
                imported = Self.freeName(for: name, avoiding: oldKeys.union(usedKeys.keys))
                notes.adjusted.append("user \(raw): imported as \(quoted(imported)), because \(quoted(holder)) differs only in case; they sign in with that name")
            }
            usedKeys[UserRecord.key(for: imported)] = imported
            owners.byOldName[raw] = imported
            owners.users.append(.init(username: imported, otpSecret: secret))
        }
        return owners
    }

    /// `name-2`, `name-3`, … (cut so that it stays within 64 characters), the first not taken.
    static func freeName(for name: String, avoiding keys: Set<String>) -> String {
        var number = 2
        while true {
            let suffix = "-\(number)"
            let candidate = String(name.prefix(64 - suffix.count)) + suffix
            if !keys.contains(UserRecord.key(for: candidate)) { return candidate }
            number += 1
        }
    }

    // MARK: - Funnels

    /// The funnels, and each old funnel id (as normalized) to the id it is imported under.
    func funnels(_ rows: [OldAppRows.Funnel], owners: Owners, notes: inout Notes) -> ([OldAppImportPlan.Funnel], [String: String]) {
        var funnels: [OldAppImportPlan.Funnel] = []
        var ids: [String: String] = [:]
        var usedIds = Set<String>()
        for row in rows {
            let label = "funnel \(row.id ?? "row \(row.row)")"
            guard let owner = owners.imported(row.userName) else {
                notes.skipped.append("\(label): its user \(quoted(row.userName)) is not imported")
                continue
            }
            let oldId = row.id.flatMap(Self.keptId)
            if let oldId, usedIds.contains(oldId) {
                notes.skipped.append("\(label): the id appears twice; the first one is imported and gets the spendings")
                continue
            }
            var id: String
            if let oldId {
                id = oldId
            } else {
                id = UUID().uuidString.lowercased()
                notes.adjusted.append("\(label): the id \(quoted(row.id)) cannot be kept; imported as \(id)")
            }
            usedIds.insert(id)
            if let oldId { ids[oldId] = id }

            let name = self.name(row.name, label: label, fallback: "Funnel \(row.id ?? String(row.row))", notes: &notes)
            funnels.append(OldAppImportPlan.Funnel(
                id: id, owner: owner, name: name, limitMinor: limit(row.limit, label: label, notes: &notes),
                color: color(row.color, index: funnels.count, label: label, notes: &notes),
                emoji: emoji(row.emoji, name: name, label: label, notes: &notes), createdAt: now))
        }
        return (funnels, ids)
    }

    /// An id the old app gave, kept as our routes can take it: a UUID in its lowercase form, or
    /// 1 to 64 letters, digits, `-` and `_` (an integer id stays its decimal digits), lowercased
    /// (paths are read lowercased); nil for anything else.
    static func keptId(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let uuid = UUID(uuidString: text) { return uuid.uuidString.lowercased() }
        return Validate.isKeptId(text.lowercased()) ? text.lowercased() : nil
    }

    func name(_ raw: String?, label: String, fallback: String, notes: inout Notes) -> String {
        let visible = (raw ?? "").unicodeScalars.filter { $0.properties.generalCategory != .control }
        var name = String(String.UnicodeScalarView(visible)).trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            notes.adjusted.append("\(label): no name; imported as \(quoted(fallback))")
            return fallback
        }
        if name.count > 64 {
            name = String(name.prefix(64)).trimmingCharacters(in: .whitespaces)
            notes.adjusted.append("\(label): the name is longer than 64 characters; cut to \(quoted(name))")
        } else if name != raw {
            notes.adjusted.append("\(label): the name \(quoted(raw)) had spaces around it or control characters; imported as \(quoted(name))")
        }
        return name
    }

    func limit(_ raw: String?, label: String, notes: inout Notes) -> Int64 {
        guard let raw else {
            notes.adjusted.append("\(label): no limit; imported with a limit of 0")
            return 0
        }
        let minor: Int64
        switch money(raw) {
        case .exact(let exact):
            minor = exact
        case .rounded(let rounded, let shown):
            notes.rounded.append("\(label): limit \(raw) rounded to \(shown)")
            minor = rounded
        case .unusable(let why):
            notes.adjusted.append("\(label): the limit \(quoted(raw)) \(why); imported with a limit of 0")
            return 0
        }
        guard minor >= 0 else {
            notes.adjusted.append("\(label): the limit \(raw) is negative; imported with a limit of 0")
            return 0
        }
        return minor
    }

    func color(_ raw: String?, index: Int, label: String, notes: inout Notes) -> String {
        if let raw, let color = CSSColor.normalize(raw) { return color }
        let color = Self.palette[index % Self.palette.count]
        notes.adjusted.append("\(label): the color \(quoted(raw)) is not a CSS color; imported as \(color)")
        return color
    }

    func emoji(_ raw: String?, name: String, label: String, notes: inout Notes) -> String {
        let initial = String(name.first!).uppercased()
        guard let raw, raw.contains(where: { !$0.isWhitespace }) else {
            notes.adjusted.append("\(label): no emoji; shown as \(quoted(initial))")
            return initial
        }
        if Emoji.isLabel(raw) { return raw }
        let fitted = Emoji.fitted(raw) ?? initial
        notes.adjusted.append("\(label): the emoji \(quoted(raw)) is longer than \(Emoji.maxGraphemes) characters or has control characters; imported as \(quoted(fitted))")
        return fitted
    }

    // MARK: - Spendings

    func spendings(_ rows: [OldAppRows.Spending], funnelIds: [String: String], notes: inout Notes) -> [OldAppImportPlan.Spending] {
        var spendings: [OldAppImportPlan.Spending] = []
        var usedIds = Set<String>()
        for row in rows {
            let label = "spending \(row.id ?? "row \(row.row)")"
            guard let funnelId = row.funnelId.flatMap(Self.keptId).flatMap({ funnelIds[$0] }) else {
                notes.skipped.append("\(label): its funnel \(quoted(row.funnelId)) is gone or not imported")
                continue
            }
            guard let raw = row.amount else {
                notes.skipped.append("\(label): no amount")
                continue
            }
            let amount: Int64
            switch money(raw) {
            case .exact(let minor):
                amount = minor
            case .rounded(let minor, let shown):
                notes.rounded.append("\(label): amount \(raw) rounded to \(shown)")
                amount = minor
            case .unusable(let why):
                notes.skipped.append("\(label): the amount \(quoted(raw)) \(why)")
                continue
            }
            guard amount != 0 else {
                notes.skipped.append("\(label): the amount is 0")
                continue
            }
            guard let timestamp = Self.milliseconds(row.timestamp) else {
                notes.skipped.append("\(label): the timestamp \(quoted(row.timestamp)) is not a millisecond instant from 1970 to 9999")
                continue
            }
            let oldId = row.id.flatMap(Self.keptId)
            if let oldId, usedIds.contains(oldId) {
                notes.skipped.append("\(label): the id appears twice; the first one is imported")
                continue
            }
            let id = oldId ?? UUID().uuidString.lowercased()
            if oldId == nil { notes.adjusted.append("\(label): the id \(quoted(row.id)) cannot be kept; imported as \(id)") }
            usedIds.insert(id)
            spendings.append(.init(id: id, funnelId: funnelId, amountMinor: amount, timestamp: timestamp))
        }
        return spendings
    }

    static func milliseconds(_ raw: String?) -> Int64? {
        guard let text = raw?.trimmingCharacters(in: .whitespaces) else { return nil }
        // A REAL holding a whole number reads as "1700000000000.0".
        let whole = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        guard let value = Int64(whole), (0...Validate.latestTimestamp).contains(value) else { return nil }
        return value
    }

    // MARK: - Money

    enum Amount: Equatable {
        case exact(Int64)
        /// The minor units and the rounded amount as a decimal, for the report.
        case rounded(Int64, String)
        case unusable(String)
    }

    /// A stored number in minor units of the currency, rounded half-even (to even cents) when
    /// it has more decimals than the currency.
    func money(_ raw: String) -> Amount {
        let text = raw.trimmingCharacters(in: .whitespaces)
        do {
            return .exact(try Money(parsing: text, exponent: exponent).minorUnits)
        } catch .tooManyDecimals {
            guard var value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return .unusable("is not a number") }
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, exponent, .bankers)
            guard let money = try? Money(decimal: rounded, exponent: exponent) else { return .unusable("is too large") }
            return .rounded(money.minorUnits, money.fixedDescription)
        } catch .outOfRange {
            return .unusable("is too large")
        } catch {
            return .unusable("is not a number")
        }
    }

    private func quoted(_ text: String?) -> String {
        text.map { "\"\($0)\"" } ?? "NULL"
    }
}
