import Foundation
import Reports

/// What a stage contributes to the result set: metrics, tables, charts and a Markdown section.
///
/// The runner stores it in the stage's artifact, so a cached stage contributes the same result
/// without running. In the result set, metric `m` of stage `s` becomes `s.m` in `metrics.json`,
/// table `t` becomes `s.t.csv`, chart `c` becomes `s.c.svg` (shown under the stage's section of
/// `report.md`), and the Markdown goes under a `## s` heading.
public struct StageResult: Sendable, Equatable {
    /// Named numbers, e.g. `kendall_tau`; names of letters, digits, `_` and `-`, values finite.
    public var metrics: [String: Double]
    /// Tables; per-item tables name their item column so that `diff` and `correlate` can join them.
    public var tables: [ResultTable]
    /// SVG charts.
    public var charts: [ResultChart]
    /// The stage's section of `report.md` (without its heading).
    public var markdown: String

    /// A result; every part may be left empty.
    public init(metrics: [String: Double] = [:], tables: [ResultTable] = [], charts: [ResultChart] = [], markdown: String = "") {
        self.metrics = metrics
        self.tables = tables
        self.charts = charts
        self.markdown = markdown
    }

    /// The table named `name`.
    public func table(_ name: String) -> ResultTable? {
        tables.first { $0.name == name }
    }

    /// Throws `invalidResult` unless names are usable in file names and metrics are finite.
    func validate(stage: String) throws(PipelineError) {
        for (name, value) in metrics {
            guard SpecNode.isName(name) else { throw .invalidResult(stage: stage, reason: "metric name '\(name)' is not a plain name") }
            guard value.isFinite else { throw .invalidResult(stage: stage, reason: "metric '\(name)' is \(value)") }
        }
        for name in tables.map(\.name) + charts.map(\.name) where !SpecNode.isName(name) {
            throw .invalidResult(stage: stage, reason: "table or chart name '\(name)' is not a plain name")
        }
        for (kind, names) in [("table", tables.map(\.name)), ("chart", charts.map(\.name))] where Set(names).count < names.count {
            throw .invalidResult(stage: stage, reason: "two \(kind)s share a name")
        }
    }
}

/// An SVG chart of a stage.
public struct ResultChart: Sendable, Equatable {
    /// The chart's name (file `<stage>.<name>.svg`).
    public var name: String
    /// The SVG document.
    public var svg: String

    /// A chart named `name` (a plain name) with its SVG text.
    public init(name: String, svg: String) {
        self.name = name
        self.svg = svg
    }
}

/// One column of a result table.
public struct ResultColumn: Sendable, Equatable {
    /// The values of a column.
    public enum Values: Sendable, Equatable {
        case numbers([Double])
        case texts([String])

        /// Number of rows.
        public var count: Int {
            switch self {
            case .numbers(let values): return values.count
            case .texts(let values): return values.count
            }
        }
    }

    /// The header.
    public var name: String
    /// The cells.
    public var values: Values

    /// A numeric column.
    public init(_ name: String, numbers: [Double]) {
        self.name = name
        values = .numbers(numbers)
    }

    /// A text column.
    public init(_ name: String, texts: [String]) {
        self.name = name
        values = .texts(texts)
    }

    /// The cell of `row` as text: numbers in full (shortest round-trip form), or rounded to
    /// `significantDigits`; non-finite numbers as an empty cell.
    func cell(_ row: Int, significantDigits: Int? = nil) -> String {
        switch values {
        case .numbers(let values):
            let value = values[row]
            guard value.isFinite else { return "" }
            if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
            return significantDigits.map { String(format: "%.\($0)g", value) } ?? String(value)
        case .texts(let values):
            return values[row]
        }
    }
}

/// A table of a stage, with an optional column of item ids (one row per item).
public struct ResultTable: Sendable, Equatable {
    /// The table's name (file `<stage>.<name>.csv`).
    public let name: String
    /// The column holding item ids, if the rows are items.
    public let itemColumn: String?
    /// The columns, left to right.
    public let columns: [ResultColumn]

    /// A table; columns must have equal lengths and distinct names, and the item column, if
    /// any, must be a text column of distinct ids.
    public init(name: String, itemColumn: String? = nil, columns: [ResultColumn]) throws(PipelineError) {
        let names = columns.map(\.name)
        guard Set(names).count == names.count else {
            throw .invalidTable(name: name, reason: "two columns share a name")
        }
        guard Set(columns.map(\.values.count)).count <= 1 else {
            throw .invalidTable(name: name, reason: "its columns have different lengths")
        }
        if let itemColumn {
            guard let column = columns.first(where: { $0.name == itemColumn }), case .texts(let ids) = column.values else {
                throw .invalidTable(name: name, reason: "it has no text column '\(itemColumn)' for its item ids")
            }
            guard Set(ids).count == ids.count else {
                throw .invalidTable(name: name, reason: "it repeats an item id")
            }
        }
        self.name = name
        self.itemColumn = itemColumn
        self.columns = columns
    }

    /// Number of rows.
    public var rowCount: Int { columns.first?.values.count ?? 0 }

    /// The column named `name`.
    public func column(_ name: String) -> ResultColumn? {
        columns.first { $0.name == name }
    }

    /// The numbers of column `name`, if it is numeric.
    public func numbers(_ name: String) -> [Double]? {
        guard case .numbers(let values)? = column(name)?.values else { return nil }
        return values
    }

    /// The item ids, if the table has an item column.
    public var items: [String]? {
        guard let itemColumn, case .texts(let ids)? = column(itemColumn)?.values else { return nil }
        return ids
    }

    /// The table as a Reports table (numbers right-aligned), for CSV and Markdown; numbers in
    /// full, or rounded to `significantDigits` (for reading rather than for data).
    public func rendered(significantDigits: Int? = nil) -> Table {
        var table = Table(columns: columns.map(\.name), alignments: columns.map {
            if case .numbers = $0.values { return .right } else { return .left }
        })
        for row in 0..<rowCount { try? table.append(columns.map { $0.cell(row, significantDigits: significantDigits) }) }
        return table
    }
}
