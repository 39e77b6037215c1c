import Foundation
import Reports

extension ResultDiff {
    /// The comparison as text for a terminal: a heading line per section, then a table.
    /// At most `itemLimit` changed items are listed per table.
    public func text(itemLimit: Int = 20) -> String {
        render(itemLimit: itemLimit) { "\($0)\n" + String(repeating: "-", count: $0.count) }
    }

    /// The comparison as Markdown, with `##` headings.
    public func markdown(itemLimit: Int = 20) -> String {
        render(itemLimit: itemLimit) { "## \($0)" }
    }

    /// Pretty JSON of the whole comparison (every changed item).
    public func json() throws(PipelineError) -> String {
        try ResultSetWriter.json(self)
    }

    private func render(itemLimit: Int, heading: (String) -> String) -> String {
        var sections = ["old: \(old.runID) (\(old.path))\nnew: \(new.runID) (\(new.path))"]
        var parameterTable = Table(columns: ["parameter", "old", "new"])
        for change in parameters { try? parameterTable.append([change.path, show(change.old), show(change.new)]) }
        sections.append(heading("Parameters") + "\n\n" + (parameters.isEmpty ? "no parameter changed\n" : parameterTable.markdown()))
        if !keys.isEmpty {
            var keyTable = Table(columns: ["stage", "old key", "new key"])
            for change in keys {
                try? keyTable.append([change.stage, change.old.map { String($0.prefix(12)) } ?? "-",
                                      change.new.map { String($0.prefix(12)) } ?? "-"])
            }
            sections.append(heading("Stage keys") + "\n\n" + keyTable.markdown())
        }
        var metricTable = Table(columns: ["metric", "old", "new", "delta", "verdict"], alignments: [.left, .right, .right, .right, .left])
        for change in metrics {
            try? metricTable.append([change.metric, number(change.old), number(change.new), number(change.delta, signed: true),
                                     change.verdict])
        }
        sections.append(heading("Metrics") + "\n\n" + (metrics.isEmpty ? "no metrics\n" : metricTable.markdown()))
        for table in tables {
            var text = heading("Items of \(table.file)") + "\n\n\(table.itemsInBoth) items in both, \(table.changedItems.count) changed"
            if !table.onlyInOld.isEmpty { text += ", only in old: \(list(table.onlyInOld, limit: itemLimit))" }
            if !table.onlyInNew.isEmpty { text += ", only in new: \(list(table.onlyInNew, limit: itemLimit))" }
            text += "\n"
            if !table.changedItems.isEmpty {
                var rows = Table(columns: [table.itemColumn, "column", "old", "new", "delta"], alignments: [.left, .left, .right, .right, .right])
                for item in table.changedItems.prefix(itemLimit) {
                    for cell in item.cells {
                        try? rows.append([item.item, cell.column, cell.old ?? "-", cell.new ?? "-", number(cell.delta, signed: true)])
                    }
                }
                text += "\n" + rows.markdown()
                if table.changedItems.count > itemLimit { text += "(\(table.changedItems.count - itemLimit) more changed items; see --json)" }
            }
            sections.append(text)
        }
        return sections.map { $0.trimmingCharacters(in: .newlines) }.joined(separator: "\n\n") + "\n"
    }

    private func show(_ value: JSONValue?) -> String {
        value?.description ?? "(absent)"
    }

    private func number(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "-" }
        return String(format: signed ? "%+.6g" : "%.6g", value)
    }

    private func list(_ items: [String], limit: Int) -> String {
        items.prefix(limit).joined(separator: ", ") + (items.count > limit ? " and \(items.count - limit) more" : "")
    }
}
