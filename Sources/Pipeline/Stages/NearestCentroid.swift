import Autodiff
import DatasetIO
import Randomness
import Reports

/// Accuracy of nearest-centroid classifiers fitted on random training subsets of several
/// sizes: a learning curve and a sanity baseline for a dataset. One cached item per subset.
struct NearestCentroidStage: StageKind {
    static let name = "nearest-centroid"
    static let version = 1
    static let summary = "Nearest-centroid accuracy of random per-class training subsets (one item per subset)."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = ["accuracy_mean", "accuracy_min", "accuracy_max", "subsets"]

    struct Parameters: StageParameters {
        /// How many subsets (items) to evaluate.
        var subsets = 20
        /// Training examples per class in a subset, cycled over the subsets.
        var sizes = [5, 10, 20, 50]
        /// The split the classifiers are scored on.
        var evaluateOn = DatasetSplit.validation
        /// When positive, score on only the first this many examples of each class.
        var evaluationPerClass = 0

        static let rules: [ParameterRule] = [
            .range("subsets", 1...100_000), .nonEmpty("sizes"), .range("sizes", 1...100_000), .atLeast("evaluationPerClass", 0),
        ]
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let splits = try context.dataset().splits(seed: context.seed)
        var evaluation = parameters.evaluateOn.select(from: splits)
        if parameters.evaluationPerClass > 0 { evaluation = try evaluation.firstPerClass(parameters.evaluationPerClass) }
        let scorer = try CentroidScorer(train: splits.train, evaluation: evaluation)
        let items = try context.items(excludingParameters: ["subsets", "sizes"])
        var ids: [String] = [], sizes: [Int] = [], accuracies: [Double] = []
        for index in 0..<parameters.subsets {
            let size = parameters.sizes[index % parameters.sizes.count]
            let id = "s\(index)-k\(size)"
            let artifact = try items.artifact(for: id) { group in
                var generator = context.random("subset/\(id)")
                let (accuracy, confusion) = try scorer.score(perClass: size, using: &generator)
                try group.attributes.set("accuracy", .double(accuracy))
                try group.attributes.set("per_class", .int(Int64(size)))
                try group.write("confusion", confusion.map(Int64.init), shape: [scorer.classCount, scorer.classCount])
            }
            ids.append(id)
            sizes.append(size)
            accuracies.append(try artifact.root.attributes.double("accuracy"))
            context.progress.update(completed: index + 1, total: parameters.subsets,
                                    figures: ["accuracy": accuracies.reduce(0, +) / Double(accuracies.count)])
        }
        try context.output.write("items", ids)
        try context.output.write("per_class", sizes.map(Int64.init))
        try context.output.write("accuracy", accuracies)
        return try result(ids: ids, sizes: sizes, accuracies: accuracies, evaluated: evaluation.count)
    }

    private func result(ids: [String], sizes: [Int], accuracies: [Double], evaluated: Int) throws -> StageResult {
        let table = try ResultTable(name: "subsets", itemColumn: "subset", columns: [
            ResultColumn("subset", texts: ids),
            ResultColumn("per_class", numbers: sizes.map(Double.init)),
            ResultColumn("accuracy", numbers: accuracies),
        ])
        var bySize = Table(columns: ["per class", "subsets", "mean accuracy", "sd"], alignments: [.right, .right, .right, .right])
        var bars: [BarChart.Bar] = []
        for size in Array(Set(sizes)).sorted() {
            let values = zip(sizes, accuracies).filter { $0.0 == size }.map(\.1)
            let summary = try Summary(values)
            try bySize.append([String(size), String(values.count), Table.cell(summary.mean), Table.cell(summary.standardDeviation)])
            bars.append(BarChart.Bar(label: String(size), value: summary.mean, error: summary.standardError))
        }
        let chart = BarChart(bars: bars, titles: ChartTitles(title: "Nearest-centroid accuracy", xLabel: "training examples per class",
                                                             yLabel: "accuracy (mean ± s.e.)"))
        let overall = try Summary(accuracies)
        let markdown = "\(ids.count) random training subsets, each scored on \(evaluated) examples; mean accuracy "
            + "\(Table.cell(overall.mean)).\n\n" + bySize.markdown()
        return StageResult(metrics: ["accuracy_mean": overall.mean, "accuracy_min": overall.minimum,
                                     "accuracy_max": overall.maximum, "subsets": Double(ids.count)],
                           tables: [table], charts: [ResultChart(name: "accuracy", svg: chart.svg())], markdown: markdown)
    }
}

/// Fits class centroids on a random per-class subset of the training split and scores them on
/// the evaluation split; the matrix products run through BLAS.
private struct CentroidScorer {
    let train: Dataset
    let byClass: [[Int]]
    let evaluation: Tensor
    let labels: [Int32]
    let classCount: Int

    init(train: Dataset, evaluation: Dataset) throws {
        self.train = train
        byClass = train.indicesByClass()
        self.evaluation = try evaluation.imageMatrix()
        labels = evaluation.labels
        classCount = train.classCount
    }

    /// Accuracy and confusion counts (row: true class, column: predicted) of centroids fitted on
    /// `perClass` random examples of each class (all of a smaller class).
    func score(perClass: Int, using generator: inout SeededGenerator) throws -> (Double, [Int]) {
        var chosen: [Int] = [], owners: [Int] = []
        for (label, indices) in byClass.enumerated() {
            var pool = indices
            let take = min(perClass, pool.count)
            for position in 0..<take {
                pool.swapAt(position, position + generator.int(below: pool.count - position))
            }
            chosen += pool[..<take]
            owners += Array(repeating: label, count: take)
        }
        var averaging = [Float](repeating: 0, count: classCount * chosen.count)
        let sizes = owners.reduce(into: [Int](repeating: 0, count: classCount)) { $0[$1] += 1 }
        for (column, owner) in owners.enumerated() { averaging[owner * chosen.count + column] = 1 / Float(sizes[owner]) }
        let centroids = try Tensor(shape: [classCount, chosen.count], values: averaging)
            .matmul(try train.selecting(chosen).imageMatrix())
        let pixels = centroids.shape[1]
        let values = centroids.values
        let halfSquaredNorms = (0..<classCount).map { row in
            -0.5 * values[row * pixels ..< (row + 1) * pixels].reduce(0) { $0 + $1 * $1 }
        }
        let predictions = try evaluation.linear(weight: centroids, bias: try Tensor(shape: [classCount], values: halfSquaredNorms))
            .argmaxRows()
        var confusion = [Int](repeating: 0, count: classCount * classCount)
        var correct = 0
        for (label, predicted) in zip(labels, predictions) {
            confusion[Int(label) * classCount + predicted] += 1
            if Int(label) == predicted { correct += 1 }
        }
        return (Double(correct) / Double(max(labels.count, 1)), confusion)
    }
}
