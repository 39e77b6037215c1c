/// A CSV file read back from a result set: a header and rows of text cells.
public struct CSVTable: Sendable, Equatable {
    /// The header cells.
    public let columns: [String]
    /// The rows, each padded or cut to the header's width.
    public let rows: [[String]]

    /// Parses RFC 4180 CSV (quoted fields with doubled quotes, `\n` or `\r\n` line ends).
    public init(parsing text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": record.append(field); field = ""
            case "\n", "\r\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        columns = records.first ?? []
        let width = columns.count
        rows = records.dropFirst().map { row in
            Array((row + Array(repeating: "", count: max(0, width - row.count))).prefix(width))
        }
    }

    /// The index of column `name`.
    public func index(of name: String) -> Int? {
        columns.firstIndex(of: name)
    }
}
