import Foundation

/// The differences between two result sets: parameters, stage keys, metrics (with a verdict
/// from `expect`) and per-item tables joined by item id. `Codable`, so `--json` prints the same
/// data as the tables.
public struct ResultDiff: Codable, Sendable {
    /// One side of the comparison.
    public struct Side: Codable, Sendable {
        /// The result set's folder.
        public var path: String
        /// Its run id.
        public var runID: String
        /// When its run started.
        public var started: String
    }

    /// A parameter (or seed, dataset, needs) that differs; nil where one side lacks it.
    public struct ParameterChange: Codable, Sendable {
        /// `seed`, `dataset`, `stages.S.run`, `stages.S.needs`, `stages.S.dataset` or `stages.S.with.P`.
        public var path: String
        /// The old value.
        public var old: JSONValue?
        /// The new value.
        public var new: JSONValue?
    }

    /// A stage whose key differs.
    public struct KeyChange: Codable, Sendable {
        /// The stage.
        public var stage: String
        /// Its old key, nil when the old result set lacks the stage.
        public var old: String?
        /// Its new key, nil when the new result set lacks the stage.
        public var new: String?
    }

    /// A metric, old → new, with the verdict of the pipeline's expectation.
    public struct MetricChange: Codable, Sendable {
        /// `stage.metric`.
        public var metric: String
        /// The old value, nil when absent.
        public var old: Double?
        /// The new value, nil when absent.
        public var new: Double?
        /// new − old, when both exist.
        public var delta: Double?
        /// The tolerance `expect` declares for the metric, if any.
        public var tolerance: Double?
        /// `same`, `changed`, `within tolerance`, `beyond tolerance`, `fails expect: ...`, `added`, `removed`.
        public var verdict: String
    }

    /// One cell of an item row that differs.
    public struct CellChange: Codable, Sendable {
        /// The column.
        public var column: String
        /// The old cell.
        public var old: String?
        /// The new cell.
        public var new: String?
        /// new − old, when both are numbers.
        public var delta: Double?
    }

    /// An item whose row differs.
    public struct ItemChange: Codable, Sendable {
        /// The item id.
        public var item: String
        /// The cells that differ.
        public var cells: [CellChange]
    }

    /// A per-item table compared by item id.
    public struct TableChange: Codable, Sendable {
        /// The CSV file, `<stage>.<table>.csv`.
        public var file: String
        /// The column of item ids.
        public var itemColumn: String
        /// Items present in both tables.
        public var itemsInBoth: Int
        /// Items only the old table has.
        public var onlyInOld: [String]
        /// Items only the new table has.
        public var onlyInNew: [String]
        /// Items in both whose rows differ, in the new table's order.
        public var changedItems: [ItemChange]
    }

    /// The older result set.
    public var old: Side
    /// The newer result set.
    public var new: Side
    /// Parameters that differ.
    public var parameters: [ParameterChange]
    /// Stages whose keys differ.
    public var keys: [KeyChange]
    /// Every metric of either result set.
    public var metrics: [MetricChange]
    /// Per-item tables present in both, joined by item id.
    public var tables: [TableChange]

    /// Compares `old` with `new`; verdicts use `new`'s expectations (else `old`'s).
    public static func compare(_ old: ResultSet, _ new: ResultSet) throws(PipelineError) -> ResultDiff {
        let expectations = new.record.expectations.isEmpty ? old.record.expectations : new.record.expectations
        var tables: [TableChange] = []
        for table in new.record.tables {
            guard let itemColumn = table.itemColumn,
                  let previous = old.record.tables.first(where: { $0.file == table.file && $0.itemColumn != nil }) else { continue }
            tables.append(TableComparison(itemColumn: itemColumn, old: try old.table(previous), new: try new.table(table))
                .change(file: table.file))
        }
        return ResultDiff(old: side(old), new: side(new), parameters: parameterChanges(old.record, new.record),
                          keys: keyChanges(old.record, new.record),
                          metrics: metricChanges(old.metrics, new.metrics, expectations: expectations), tables: tables)
    }

    /// Whether every metric with an expectation meets it and stays within its tolerance.
    public var withinTolerance: Bool {
        !metrics.contains { $0.verdict.hasPrefix("fails") || $0.verdict == "beyond tolerance" }
    }

    private static func side(_ set: ResultSet) -> Side {
        Side(path: set.folder.path, runID: set.record.runID, started: set.record.started)
    }

    private static func parameterChanges(_ old: RunRecord, _ new: RunRecord) -> [ParameterChange] {
        func flatten(_ record: RunRecord) -> [String: JSONValue] {
            var values: [String: JSONValue] = ["seed": .int(Int(truncatingIfNeeded: record.seed))]
            if let dataset = record.dataset { values["dataset"] = .string(dataset) }
            for stage in record.stages {
                values["stages.\(stage.name).run"] = .string(stage.kind)
                values["stages.\(stage.name).needs"] = .array(stage.needs.map(JSONValue.string))
                if let dataset = stage.dataset { values["stages.\(stage.name).dataset"] = .string(dataset) }
                for (name, value) in stage.parameters { values["stages.\(stage.name).with.\(name)"] = value }
            }
            return values
        }
        let before = flatten(old), after = flatten(new)
        return Set(before.keys).union(after.keys).sorted().compactMap { path in
            let was = before[path], now = after[path]
            if let was, let now, was.sameValue(as: now) { return nil }
            return ParameterChange(path: path, old: was, new: now)
        }
    }

    private static func keyChanges(_ old: RunRecord, _ new: RunRecord) -> [KeyChange] {
        let names = new.stages.map(\.name) + old.stages.map(\.name).filter { new.stage($0) == nil }
        return names.compactMap { name in
            let was = old.stage(name)?.key, now = new.stage(name)?.key
            return was == now ? nil : KeyChange(stage: name, old: was, new: now)
        }
    }

    private static func metricChanges(_ old: [String: Double], _ new: [String: Double],
                                      expectations: [Expectation]) -> [MetricChange] {
        Set(old.keys).union(new.keys).sorted().map { metric in
            let was = old[metric], now = new[metric]
            let expectation = expectations.first { $0.reference == metric }
            let delta = was.flatMap { a in now.map { $0 - a } }
            return MetricChange(metric: metric, old: was, new: now, delta: delta, tolerance: expectation?.tolerance,
                                verdict: verdict(was: was, now: now, delta: delta, expectation: expectation))
        }
    }

    private static func verdict(was: Double?, now: Double?, delta: Double?, expectation: Expectation?) -> String {
        guard now != nil else { return "removed" }
        if let expectation {
            let check = expectation.check(now)
            if !check.passed { return "fails expect: \(check.reason)" }
        }
        guard let delta else { return "added" }
        if let tolerance = expectation?.tolerance { return abs(delta) <= tolerance ? "within tolerance" : "beyond tolerance" }
        return delta == 0 ? "same" : "changed"
    }
}

/// Two versions of one per-item table, joined by item id.
private struct TableComparison {
    let itemColumn: String
    let old: CSVTable
    let new: CSVTable

    func change(file: String) -> ResultDiff.TableChange {
        let oldRows = rowsByItem(old), newRows = rowsByItem(new)
        let columns = new.columns.filter { $0 != itemColumn && old.columns.contains($0) }
        var changed: [ResultDiff.ItemChange] = []
        var both = 0
        for (item, row) in newRows.ordered {
            guard let previous = oldRows.byItem[item] else { continue }
            both += 1
            let cells = columns.compactMap { column -> ResultDiff.CellChange? in
                let was = old.index(of: column).map { previous[$0] }, now = new.index(of: column).map { row[$0] }
                guard was != now else { return nil }
                let delta = was.flatMap(Double.init).flatMap { a in now.flatMap(Double.init).map { $0 - a } }
                return ResultDiff.CellChange(column: column, old: was, new: now, delta: delta)
            }
            if !cells.isEmpty { changed.append(ResultDiff.ItemChange(item: item, cells: cells)) }
        }
        return ResultDiff.TableChange(file: file, itemColumn: itemColumn, itemsInBoth: both,
                                      onlyInOld: oldRows.ordered.map(\.0).filter { newRows.byItem[$0] == nil },
                                      onlyInNew: newRows.ordered.map(\.0).filter { oldRows.byItem[$0] == nil },
                                      changedItems: changed)
    }

    private func rowsByItem(_ table: CSVTable) -> (ordered: [(String, [String])], byItem: [String: [String]]) {
        guard let index = table.index(of: itemColumn) else { return ([], [:]) }
        let ordered = table.rows.map { ($0[index], $0) }
        return (ordered, Dictionary(ordered, uniquingKeysWith: { first, _ in first }))
    }
}
