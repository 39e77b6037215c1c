import Foundation

/// A table of text cells rendered as Markdown (for `report.md`) or CSV (for `*.csv`).
///
/// ```swift
/// var table = Table(columns: ["architecture", "SMASH score", "error"], alignments: [.left, .right, .right])
/// try table.append(["arch-7", Table.cell(0.8123), Table.cell(0.0912)])
/// print(table.markdown())
/// ```
public struct Table: Sendable, Equatable {
    /// Horizontal alignment of a Markdown column.
    public enum Alignment: Sendable {
        case left, right, center
    }

    /// Column headers.
    public let columns: [String]
    /// Alignment per column.
    public let alignments: [Alignment]
    /// The rows, each with one cell per column.
    public private(set) var rows: [[String]] = []

    /// An empty table; `alignments` defaults to left for every column.
    public init(columns: [String], alignments: [Alignment]? = nil) {
        self.columns = columns
        self.alignments = alignments.map { Array(($0 + Array(repeating: .left, count: columns.count)).prefix(columns.count)) }
            ?? Array(repeating: .left, count: columns.count)
    }

    /// Appends a row, which must have one cell per column.
    public mutating func append(_ row: [String]) throws(ReportError) {
        guard row.count == columns.count else {
            throw .invalidParameter(name: "table row", value: "\(row.count) cells", expected: "\(columns.count) cells, one per column")
        }
        rows.append(row)
    }

    /// A number with `decimals` digits after the point; "NaN" and "±inf" for non-finite values.
    public static func cell(_ value: Double, decimals: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(max(0, decimals))f", value)
    }

    /// GitHub-flavoured Markdown with padded columns. `|` in cells is escaped, line breaks become `<br>`.
    public func markdown() -> String {
        let header = columns.map(markdownCell)
        let body = rows.map { $0.map(markdownCell) }
        let widths = columns.indices.map { column in
            max(3, ([header] + body).map { $0[column].count }.max() ?? 3)
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.indices.map { pad(cells[$0], to: widths[$0], alignments[$0]) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + columns.indices.map { column -> String in
            let dashes = String(repeating: "-", count: widths[column])
            switch alignments[column] {
            case .left: return " " + dashes + " "
            case .right: return " " + dashes.dropLast() + ": "
            case .center: return " :" + dashes.dropFirst().dropLast() + ": "
            }
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + body.map(line)).joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header line: fields holding a comma, quote, line break or surrounding
    /// space are quoted, and quotes are doubled. Lines end with "\n".
    public func csv() -> String {
        ([columns] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: "<br>").replacingOccurrences(of: "\n", with: "<br>")
    }

    private func pad(_ text: String, to width: Int, _ alignment: Alignment) -> String {
        let space = max(0, width - text.count)
        switch alignment {
        case .left: return text + String(repeating: " ", count: space)
        case .right: return String(repeating: " ", count: space) + text
        case .center: return String(repeating: " ", count: space / 2) + text + String(repeating: " ", count: space - space / 2)
        }
    }

    private func csvField(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
