import Reports

/// Puts metrics of several upstream stages side by side: one row per stage (in `needs` order),
/// one column per metric group, and a bar chart of the first group. A group lists alternative
/// names, `test_error_mean|test_error`, so stages of different kinds (a retrained architecture,
/// a Wide ResNet baseline) meet in one column.
struct CompareStage: StageKind {
    static let name = "compare"
    static let version = 1
    static let summary = "A table (and bar chart) of chosen metrics of the needed stages, side by side."
    static let metricNames = ["stages", "best_index", "best_value"]

    struct Parameters: StageParameters {
        /// Metric groups: `NAME` or `NAME|ALTERNATIVE|...`, the first a stage reports is shown.
        var metrics = ["test_error_mean|test_error"]
        /// Whether a lower value of the first group is better (for `best_index`).
        var lowerIsBetter = true
        /// The chart's title; the first group when empty.
        var title = ""

        static let rules: [ParameterRule] = [.nonEmpty("metrics")]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            guard !stage.needs.isEmpty else {
                throw .invalidParameter(parameter: "needs", reason: "is empty", expected: "the stages to compare")
            }
            for group in metrics where group.split(separator: "|", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw .invalidParameter(parameter: "metrics", reason: "has the malformed group '\(group)'", expected: "NAME or NAME|ALTERNATIVE")
            }
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let groups = parameters.metrics.map { $0.split(separator: "|").map(String.init) }
        // values[group][stage]
        let values = groups.map { names in
            inputs.all.map { input in names.lazy.compactMap { input.result.metrics[$0] }.first ?? .nan }
        }
        for (group, names) in groups.enumerated() where values[group].allSatisfy({ $0.isNaN }) {
            throw PipelineError.stageFailed(stage: context.stage, kind: context.kind,
                                            reason: "no needed stage reports \(names.joined(separator: " or "))")
        }
        context.progress.update(completed: 1, total: 1, figures: [:])
        let stages = inputs.all.map(\.stage)
        let table = try ResultTable(name: "comparison", itemColumn: "stage", columns: [
            ResultColumn("stage", texts: stages), ResultColumn("kind", texts: inputs.all.map(\.kind)),
        ] + zip(groups, values).map { ResultColumn($0[0], numbers: $1) })
        let first = values[0]
        let ranked = first.indices.filter { !first[$0].isNaN }
            .sorted { parameters.lowerIsBetter ? first[$0] < first[$1] : first[$0] > first[$1] }
        let best = ranked.first ?? 0
        let title = parameters.title.isEmpty ? groups[0][0] : parameters.title
        let chart = BarChart(bars: zip(stages, first).map { BarChart.Bar(label: $0, value: $1) },
                             titles: ChartTitles(title: title, yLabel: groups[0][0]))
        let markdown = "\(stages.count) stages compared; best by \(groups[0][0]) "
            + "(\(parameters.lowerIsBetter ? "lowest" : "highest")): `\(stages[best])` at \(Table.cell(first[best], decimals: 4)).\n\n"
            + table.rendered(significantDigits: 4).markdown()
        return StageResult(metrics: ["stages": Double(stages.count), "best_index": Double(best), "best_value": first[best]],
                           tables: [table], charts: [ResultChart(name: "comparison", svg: chart.svg())], markdown: markdown)
    }
}
