import Foundation
import Reports

/// Builds `report.md`: the run's summary, one section per stage with its Markdown, charts and
/// tables, and the expectations with their verdicts.
enum ReportWriter {
    static func markdown(_ record: RunRecord, results: [String: StageResult], metrics: [String: Double]) -> String {
        var text = "# \(record.pipeline)\n\n"
        if !record.description.isEmpty { text += record.description + "\n\n" }
        var facts = ["run `\(record.runID)`", "started \(record.started)", String(format: "%.2f s", record.seconds)]
        if let code = record.codeVersion { facts.append("code `\(code)`") }
        facts.append("\(record.machine.cores) cores, Swift \(record.machine.swift)")
        text += facts.joined(separator: " · ") + "\n\n"
        if !record.overrides.isEmpty {
            text += "Overrides: " + record.overrides.map { "`--set \($0)`" }.joined(separator: ", ") + "\n\n"
        }
        var stages = Table(columns: ["stage", "kind", "key", "cache", "seconds", "items computed / cached"],
                           alignments: [.left, .left, .left, .left, .right, .right])
        for stage in record.stages {
            let items = stage.items.isEmpty ? "" : "\(stage.items.map(\.computed).reduce(0, +)) / \(stage.items.map(\.hits).reduce(0, +))"
            try? stages.append([stage.name, stage.kind, String(stage.key.prefix(12)), stage.cache.rawValue,
                                Table.cell(stage.seconds, decimals: 2), items])
        }
        text += stages.markdown() + "\n"
        for stage in record.stages {
            guard let result = results[stage.name] else { continue }
            text += "## \(stage.name) (\(stage.kind))\n\n"
            if !result.markdown.isEmpty { text += result.markdown.trimmingCharacters(in: .newlines) + "\n\n" }
            for chart in result.charts { text += "![\(stage.name) \(chart.name)](\(stage.name).\(chart.name).svg)\n\n" }
            let files = result.tables.map { "[\(stage.name).\($0.name).csv](\(stage.name).\($0.name).csv)" }
            if !files.isEmpty { text += "Tables: " + files.joined(separator: ", ") + "\n\n" }
        }
        if !record.expectations.isEmpty {
            text += "## Expectations\n\n"
            var table = Table(columns: ["metric", "value", "expected", "verdict"], alignments: [.left, .right, .left, .left])
            let verification = Verification(record: record, metrics: metrics)
            for check in verification.checks {
                try? table.append([check.expectation.reference, check.value.map { Table.cell($0) } ?? "missing",
                                   check.expectation.summary, verification.verdict(check)])
            }
            text += table.markdown()
        }
        return text
    }
}
