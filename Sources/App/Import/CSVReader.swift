/// Reads RFC 4180 CSV: fields separated by commas, records by CRLF or LF (or a lone CR), a
/// field in double quotes may hold commas, line breaks and `""` for a quote. A UTF-8 byte-order
/// mark (as spreadsheets write one) is skipped, and so are blank lines.
struct CSVReader {
    struct Record: Equatable {
        /// The line of the file the record starts on, from 1: what an error names.
        var line: Int
        var fields: [String]
    }

    enum Failure: Error, Equatable {
        /// A quoted field still open at the end of the file, opened on `line`.
        case unclosedQuote(line: Int)
        /// Text after a closing quote, before the next comma or line end.
        case textAfterQuote(line: Int)
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    static func records(_ bytes: [UInt8]) throws(Failure) -> [Record] {
        var records: [Record] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var recordLine = 1
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            let blank = fields.isEmpty && field.isEmpty && !quoted
            endField()
            if !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            quoted = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote && field.isEmpty && !quoted {
                quoted = true
                let opened = line
                index += 1
                while true {
                    guard index < bytes.count else { throw .unclosedQuote(line: opened) }
                    let inner = bytes[index]
                    index += 1
                    if inner == quote {
                        guard index < bytes.count, bytes[index] == quote else { break }
                        index += 1
                    } else if inner == lf || (inner == cr && (index >= bytes.count || bytes[index] != lf)) {
                        line += 1
                    }
                    field.append(inner)
                }
                guard index >= bytes.count || [comma, lf, cr].contains(bytes[index]) else { throw .textAfterQuote(line: line) }
                continue
            }
            index += 1
            switch byte {
            case comma:
                endField()
                quoted = false
            case cr where index < bytes.count && bytes[index] == lf:
                continue
            case lf, cr:
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
        }
        if !fields.isEmpty || !field.isEmpty || quoted { endRecord() }
        return records
    }
}
