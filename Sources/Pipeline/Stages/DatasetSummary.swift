import Autodiff
import DatasetIO
import Reports

/// Counts the examples of each class in one split of the dataset and their mean pixel intensity.
struct DatasetSummaryStage: StageKind {
    static let name = "dataset-summary"
    static let version = 1
    static let summary = "Examples and mean pixel intensity per class of one split of the dataset."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = ["examples", "classes", "mean_intensity", "smallest_class_fraction", "largest_class_fraction"]

    struct Parameters: StageParameters {
        /// The split to summarise (validation and test hold-outs are drawn with the pipeline seed).
        var split = DatasetSplit.train
        /// When positive, only the first this many examples of each class.
        var perClass = 0

        static let rules: [ParameterRule] = [.atLeast("perClass", 0)]
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let dataset = try context.dataset()
        var data = parameters.split.select(from: try dataset.splits(seed: context.seed))
        if parameters.perClass > 0 { data = try data.firstPerClass(parameters.perClass) }
        context.progress.update(completed: 0, total: 1)
        let pixels = data.shape.pixelCount
        let averaging = Tensor(shape: [1, pixels], repeating: 1 / Float(pixels))
        let imageMeans = try data.imageMatrix().linear(weight: averaging, bias: nil).values
        var counts = [Int](repeating: 0, count: data.classCount)
        var sums = [Double](repeating: 0, count: data.classCount)
        for (label, mean) in zip(data.labels, imageMeans) {
            counts[Int(label)] += 1
            sums[Int(label)] += Double(mean)
        }
        let means = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : 0 }
        try context.output.write("class_counts", counts.map(Int64.init))
        try context.output.write("class_mean_intensity", means)
        try context.output.attributes.set("class_names", .strings(data.classNames))
        try context.output.attributes.set("split", .string(parameters.split.rawValue))
        context.progress.update(completed: 1, total: 1, figures: ["examples": Double(data.count)])
        return try result(data, counts: counts, means: means, split: parameters.split)
    }

    private func result(_ data: Dataset, counts: [Int], means: [Double], split: DatasetSplit) throws -> StageResult {
        let total = Double(max(data.count, 1))
        let fractions = counts.map { Double($0) / total }
        let overall = zip(means, counts).reduce(0) { $0 + $1.0 * Double($1.1) } / total
        let table = try ResultTable(name: "classes", itemColumn: "class", columns: [
            ResultColumn("class", texts: data.classNames),
            ResultColumn("label", numbers: data.classNames.indices.map(Double.init)),
            ResultColumn("count", numbers: counts.map(Double.init)),
            ResultColumn("fraction", numbers: fractions),
            ResultColumn("mean_intensity", numbers: means),
        ])
        let chart = BarChart(bars: zip(data.classNames, counts).map { BarChart.Bar(label: $0, value: Double($1)) },
                             titles: ChartTitles(title: "Examples per class (\(split.rawValue))", xLabel: "class", yLabel: "examples"))
        let markdown = "\(data.count) examples of \(data.classCount) classes (\(data.source)); mean pixel intensity "
            + "\(Table.cell(overall)).\n\n" + table.rendered(significantDigits: 4).markdown()
        return StageResult(metrics: ["examples": Double(data.count), "classes": Double(data.classCount), "mean_intensity": overall,
                                     "smallest_class_fraction": fractions.min() ?? 0, "largest_class_fraction": fractions.max() ?? 0],
                           tables: [table], charts: [ResultChart(name: "classes", svg: chart.svg())], markdown: markdown)
    }
}
