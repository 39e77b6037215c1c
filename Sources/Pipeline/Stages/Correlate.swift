import Reports
import Spelling

/// Correlates two numeric columns of upstream tables joined by item id: Pearson, Spearman and
/// Kendall with p-values, a bootstrap interval for Kendall's τ, a least-squares fit and a scatter
/// chart with the fit line.
struct CorrelateStage: StageKind {
    static let name = "correlate"
    static let version = 1
    static let summary = "Pearson, Spearman, Kendall (p-values, bootstrap CI), fit and scatter of two item columns."
    static let usesSeed = true
    static let metricNames = ["pairs", "pearson", "pearson_p", "spearman", "spearman_p", "kendall_tau", "kendall_p",
                              "kendall_ci_low", "kendall_ci_high", "slope", "intercept", "r_squared"]

    struct Parameters: StageParameters {
        /// The x column: `STAGE.TABLE.COLUMN`, or `STAGE.COLUMN` when one table of the stage has it.
        var x = ""
        /// The y column, written like `x`.
        var y = ""
        /// Axis titles; the column references when empty.
        var xLabel = ""
        var yLabel = ""
        /// Bootstrap resamples for the interval of Kendall's τ.
        var resamples = 1000
        /// Coverage of the interval.
        var level = 0.95
        /// Whether to write each point's item id beside it.
        var labelPoints = false

        static let rules: [ParameterRule] = [
            .nonEmpty("x"), .nonEmpty("y"), .range("resamples", 10...1_000_000), .range("level", 0.5...0.999),
        ]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            for (name, reference) in [("x", x), ("y", y)] {
                let parts = reference.split(separator: ".", omittingEmptySubsequences: false)
                guard (2...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
                    throw .invalidParameter(parameter: name, reason: "is not a column reference",
                                            expected: "STAGE.TABLE.COLUMN or STAGE.COLUMN")
                }
                guard stage.needs.contains(String(parts[0])) else {
                    throw .invalidParameter(parameter: name, reason: "names the stage '\(parts[0])', which this stage does not need",
                                            expected: "a column of a stage listed in needs (\(stage.needs.joined(separator: ", ")))")
                }
            }
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let x = try ColumnReference(parameters.x, parameter: "x").values(in: inputs)
        let y = try ColumnReference(parameters.y, parameter: "y").values(in: inputs)
        let items = x.keys.filter { y[$0] != nil }
        let xs = items.map { x[$0] ?? .nan }, ys = items.map { y[$0] ?? .nan }
        context.progress.update(completed: 0, total: 1, figures: ["pairs": Double(items.count)])
        let pearson = try Correlation.pearson(xs, ys)
        let spearman = try Correlation.spearman(xs, ys)
        let kendall = try Correlation.kendall(xs, ys)
        let interval = try ConfidenceInterval.bootstrap(xs, ys, resamples: parameters.resamples, level: parameters.level,
                                                        seed: context.seed) { a, b throws(ReportError) in
            try Correlation.kendall(a, b).coefficient
        }
        let fit = try LineFit(xs, ys)
        context.progress.update(completed: 1, total: 1, figures: ["kendall_tau": kendall.coefficient])
        try context.output.write("items", items)
        try context.output.write("x", xs)
        try context.output.write("y", ys)
        let xLabel = parameters.xLabel.isEmpty ? parameters.x : parameters.xLabel
        let yLabel = parameters.yLabel.isEmpty ? parameters.y : parameters.yLabel
        let chart = ScatterChart(points: zip(items, zip(xs, ys)).map { id, point in
            ScatterChart.Point(x: point.0, y: point.1, label: parameters.labelPoints ? id : nil)
        }, titles: ChartTitles(title: "\(yLabel) against \(xLabel)", xLabel: xLabel, yLabel: yLabel))
        var statistics = Table(columns: ["statistic", "value", "p-value"], alignments: [.left, .right, .right])
        for (name, correlation) in [("Pearson r", pearson), ("Spearman ρ", spearman), ("Kendall τ", kendall)] {
            try statistics.append([name, Table.cell(correlation.coefficient), Table.cell(correlation.pValue, decimals: 6)])
        }
        let markdown = "\(items.count) items with both \(parameters.x) and \(parameters.y).\n\n" + statistics.markdown()
            + "\nKendall τ \(Int(parameters.level * 100))% bootstrap interval (\(interval.resamples) resamples): "
            + "[\(Table.cell(interval.lower)), \(Table.cell(interval.upper))]. Least squares: y = "
            + "\(Table.cell(fit.slope)) x + \(Table.cell(fit.intercept)), R² = \(Table.cell(fit.rSquared)).\n"
        let table = try ResultTable(name: "pairs", itemColumn: "item", columns: [
            ResultColumn("item", texts: items), ResultColumn("x", numbers: xs), ResultColumn("y", numbers: ys),
        ])
        return StageResult(metrics: [
            "pairs": Double(items.count), "pearson": pearson.coefficient, "pearson_p": pearson.pValue,
            "spearman": spearman.coefficient, "spearman_p": spearman.pValue, "kendall_tau": kendall.coefficient,
            "kendall_p": kendall.pValue, "kendall_ci_low": interval.lower, "kendall_ci_high": interval.upper,
            "slope": fit.slope, "intercept": fit.intercept, "r_squared": fit.rSquared,
        ], tables: [table], charts: [ResultChart(name: "scatter", svg: chart.svg())], markdown: markdown)
    }
}

/// `STAGE.TABLE.COLUMN` or `STAGE.COLUMN`: a numeric column of an upstream per-item table.
private struct ColumnReference {
    let stage: String
    let table: String?
    let column: String
    let text: String
    let parameter: String

    init(_ text: String, parameter: String) {
        let parts = text.split(separator: ".").map(String.init)
        stage = parts.first ?? ""
        table = parts.count == 3 ? parts[1] : nil
        column = parts.last ?? ""
        self.text = text
        self.parameter = parameter
    }

    /// The column's values by item id, in the table's row order.
    func values(in inputs: StageInputs) throws(PipelineError) -> OrderedValues {
        let input = try inputs.input(stage)
        let candidates = input.result.tables.filter { ($0.name == table || table == nil) && $0.column(column) != nil }
        guard candidates.count == 1, let found = candidates.first else {
            let known = input.result.tables.flatMap { table in table.columns.map { "\(stage).\(table.name).\($0.name)" } }
            let reason = candidates.isEmpty ? "no table of stage '\(stage)' has that column" : "several tables of '\(stage)' have it"
            throw .invalidValue(SourceLocation(source: "stage input"), path: "with.\(parameter)", value: "'\(text)' (\(reason))",
                                expected: "one of \(known.joined(separator: ", "))", suggestion: Suggestion.nearest(to: text, in: known))
        }
        guard let items = found.items, let numbers = found.numbers(column) else {
            throw .invalidValue(SourceLocation(source: "stage input"), path: "with.\(parameter)", value: "'\(text)'",
                                expected: "a numeric column of a table with an item column", suggestion: nil)
        }
        return OrderedValues(keys: items, values: Dictionary(zip(items, numbers), uniquingKeysWith: { first, _ in first }))
    }
}

/// Values by item id that remember the order of their ids.
private struct OrderedValues {
    let keys: [String]
    let values: [String: Double]

    subscript(key: String) -> Double? { values[key] }
}
