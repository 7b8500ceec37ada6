/// Which column of an imported CSV holds each field: the export's own header by default, or
/// the columns named by `<field>_column` query parameters (another app's "Datum", "Betrag"…).
/// Header names match ignoring case and surrounding spaces.
struct ImportColumns: Equatable {
    enum Field: String, CaseIterable {
        case date, amount, currency, funnel, who, note

        var isRequired: Bool { self == .date || self == .amount || self == .funnel }
    }

    /// Each field's position in a record, and the header's name for it (what errors name).
    private(set) var positions: [Field: (index: Int, name: String)] = [:]

    static func == (lhs: ImportColumns, rhs: ImportColumns) -> Bool {
        lhs.positions.mapValues(\.index) == rhs.positions.mapValues(\.index)
    }

    init(header: [String], mapping: [Field: String]) throws(ValidationFailure) {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var issues: [ValidationFailure.Issue] = []
        for field in Field.allCases {
            let wanted = (mapping[field] ?? field.rawValue).trimmingCharacters(in: .whitespaces).lowercased()
            if let index = names.firstIndex(of: wanted) {
                positions[field] = (index, header[index].trimmingCharacters(in: .whitespaces))
            } else if field.isRequired || mapping[field] != nil {
                let columns = header.map { "\"\($0)\"" }.joined(separator: ", ")
                issues.append(.init(
                    loc: mapping[field] != nil ? ["query", .key("\(field.rawValue)_column")] : ["body", 1],
                    msg: "Line 1: no column \"\(wanted)\" for the \(field.rawValue) (the header has \(columns)); name it with \(field.rawValue)_column=…",
                    type: "missing"))
            }
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
    }

    /// The field's text in `record` (trimmed; "" for a missing column or a short record), and
    /// the column's name.
    func value(_ field: Field, in record: CSVReader.Record) -> (text: String, column: String)? {
        guard let (index, name) = positions[field] else { return nil }
        let text = index < record.fields.count ? record.fields[index] : ""
        return (text.trimmingCharacters(in: .whitespaces), name)
    }
}
