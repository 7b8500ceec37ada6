import Budget
import NIOCore

/// How an exported spending is written: one CSV line (RFC 4180, the header below) or one
/// element of a JSON array. Written by hand, not with JSONEncoder: an export may hold a
/// million rows and its few fields need only string escaping.
enum ExportFormat: String, CaseIterable {
    case csv, json

    /// The CSV header, and the names of the JSON members: the columns POST /import reads.
    static let columns = ["date", "amount", "currency", "funnel", "who", "note"]

    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        }
    }

    var opening: String {
        switch self {
        case .csv: Self.columns.joined(separator: ",") + "\r\n"
        case .json: "["
        }
    }

    var closing: String {
        switch self {
        case .csv: ""
        case .json: "]"
        }
    }

    struct Line {
        var id: String
        var timestamp: Int64
        /// The local date-time with its offset, to the millisecond.
        var date: String
        var amount: Money
        var currency: String
        var funnel: String
        var funnelId: String
        var who: String
        var note: String
    }

    func write(_ line: Line, first: Bool, into text: inout String) {
        switch self {
        case .csv:
            text += line.date + "," + line.amount.fixedDescription + "," + line.currency + ","
            text += CSVText.field(line.funnel) + "," + CSVText.field(line.who) + "," + CSVText.field(line.note) + "\r\n"
        case .json:
            if !first { text += "," }
            text += #"{"id":"# + JSONText.string(line.id) + #","date":"# + JSONText.string(line.date)
            text += #","timestamp":"# + String(line.timestamp) + #","amount":"# + line.amount.description
            text += #","currency":"# + JSONText.string(line.currency) + #","funnel":"# + JSONText.string(line.funnel)
            text += #","funnel_id":"# + JSONText.string(line.funnelId) + #","who":"# + JSONText.string(line.who)
            text += #","note":"# + JSONText.string(line.note) + "}"
        }
    }
}

/// RFC 4180 fields, guarded against spreadsheet formulas.
enum CSVText {
    /// Characters a spreadsheet takes as the start of a formula (OWASP's "CSV injection" list):
    /// a text field starting with one gets a leading `'`, which spreadsheets hide and POST
    /// /import removes again.
    /// Compared by scalar: "\r\n" is one Character, and must still count as a line break.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, formulaStarts.contains(first) { text = "'" + text }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A JSON string literal as a String, for the answers built as text (the export's JSON lines,
/// the events' data): the escaping is `JSONBytes.string`'s, tested against the encoder.
enum JSONText {
    static func string(_ value: String) -> String {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(value.utf8.count + 2)
        JSONBytes.string(value, into: &buffer)
        return String(buffer: buffer)
    }
}
