import DatasetIO
import NN
import Reports
import Training

/// Trains a Wide ResNet WRN-d-k on the stage's dataset: the hand-designed baseline SMASH's
/// architectures are compared with. Checkpoints every epoch and resumes after a kill.
struct TrainBaselineStage: StageKind {
    static let name = "train-baseline"
    static let version = 1
    static let summary = "Trains a Wide ResNet WRN-d-k baseline; validation and test error, history, weights."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = ["val_error", "test_error", "params", "epochs", "images_per_s"]

    struct Parameters: StageParameters {
        /// Depth d = 6n + 4.
        var depth = 16
        /// Widening factor k.
        var width = 2
        var epochs = 15
        var batchSize = 128
        var optimizer = OptimizerName.sgd
        var learningRate = 0.1
        var weightDecay = 5e-4
        /// Pad-crop (4 pixels) and horizontal flips of training batches.
        var augment = true
        /// Training images held out at random for validation.
        var validation = 5000
        /// When positive, train on only the first this many training images of each class.
        var trainPerClass = 0

        static let rules: [ParameterRule] = [
            .range("depth", 10...100), .range("width", 1...16), .range("epochs", 1...1000), .range("batchSize", 1...4096),
            .range("learningRate", 1e-6...10.0), .range("weightDecay", 0.0...1.0), .atLeast("validation", 0),
            .atLeast("trainPerClass", 0),
        ]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            guard (depth - 4) % 6 == 0 else {
                throw .invalidParameter(parameter: "depth", reason: "is \(depth), not 6n+4", expected: "10, 16, 22, 28, 40, ...")
            }
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let dataset = try context.dataset()
        let options = dataset.trainingSplit(seed: context.seed, validation: parameters.validation, trainPerClass: parameters.trainPerClass)
        let splits = try dataset.splits(options)
        var generator = context.random("model")
        let network = try WideResNet(WideResNetConfiguration(depth: parameters.depth, widenFactor: parameters.width,
                                                             inputChannels: splits.train.shape.channels,
                                                             classes: splits.train.classCount), using: &generator)
        let trainer = try Trainer(model: network, data: TrainingData(splits), configuration: configuration(parameters, context))
        let result = try trainer.train(checkpoints: CheckpointFolder(context.checkpoint.folder),
                                       callbacks: progressCallbacks(context))
        try context.output.createGroup("weights").write(result.weights)
        return try report(result, parameters: parameters, context: context)
    }

    private func configuration(_ p: Parameters, _ context: StageContext) -> TrainingConfiguration {
        TrainingConfiguration(
            epochs: p.epochs, batchSize: p.batchSize, optimizer: p.optimizer.choice, learningRate: Float(p.learningRate),
            weightDecay: Float(p.weightDecay),
            augmentation: p.augment ? Augmentation(padding: 4, horizontalFlip: true) : .none,
            seed: context.seed, evaluateTestEachEpoch: true, tags: ["stage key": context.key])
    }

    private func progressCallbacks(_ context: StageContext) -> TrainingCallbacks {
        TrainingCallbacks(onBatch: { progress in
            let total = progress.epochs * progress.batchesPerEpoch
            let done = (progress.epoch - 1) * progress.batchesPerEpoch + progress.batch
            context.progress.update(completed: done, total: total, figures: [
                "epoch": Double(progress.epoch), "loss": progress.loss, "err": progress.error, "img/s": progress.imagesPerSecond,
            ])
        }, onEpoch: { record, epochs in
            context.log(record.line(of: epochs))
        })
    }

    private func report(_ result: TrainingResult, parameters p: Parameters, context: StageContext) throws -> StageResult {
        let epochs = result.history.epochs
        let history = try ResultTable(name: "history", itemColumn: "epoch", columns: [
            ResultColumn("epoch", texts: epochs.map { String($0.epoch) }),
            ResultColumn("train_loss", numbers: epochs.map(\.trainLoss)),
            ResultColumn("train_error", numbers: epochs.map(\.trainError)),
            ResultColumn("val_error", numbers: epochs.map { $0.validation?.error ?? .nan }),
            ResultColumn("test_error", numbers: epochs.map { $0.test?.error ?? .nan }),
            ResultColumn("learning_rate", numbers: epochs.map(\.learningRate)),
            ResultColumn("images_per_s", numbers: epochs.map(\.imagesPerSecond)),
            ResultColumn("seconds", numbers: epochs.map(\.seconds)),
        ])
        for column in history.columns where column.name != "epoch" {
            if case .numbers(let values) = column.values { try context.output.write(column.name, values) }
        }
        let x = epochs.map { Double($0.epoch) }
        let curves = LineChart(series: [
            LineChart.Series(name: "train error", x: x, y: epochs.map(\.trainError)),
            LineChart.Series(name: "validation error", x: x, y: epochs.map { $0.validation?.error ?? .nan }),
            LineChart.Series(name: "test error", x: x, y: epochs.map { $0.test?.error ?? .nan }),
        ], titles: ChartTitles(title: "WRN-\(p.depth)-\(p.width) training", xLabel: "epoch", yLabel: "error"))
        let validation = result.validation?.error ?? .nan, test = result.test?.error ?? .nan
        let seconds = epochs.reduce(0) { $0 + $1.seconds }
        let imagesPerSecond = epochs.isEmpty ? 0 : epochs.reduce(0) { $0 + $1.imagesPerSecond } / Double(epochs.count)
        let markdown = "WRN-\(p.depth)-\(p.width) (\(result.parameterCount) parameters), \(epochs.count) epochs, "
            + "batch \(p.batchSize), \(p.optimizer.rawValue) lr \(p.learningRate) cosine, weight decay \(p.weightDecay)"
            + (p.augment ? ", pad-crop + flip" : "") + ": validation error \(Table.cell(100 * validation, decimals: 2))%, "
            + "test error \(Table.cell(100 * test, decimals: 2))% (accuracy \(Table.cell(100 * (1 - test), decimals: 2))%); "
            + "\(Table.cell(seconds / 60, decimals: 1)) min of training at \(Table.cell(imagesPerSecond, decimals: 1)) images/s.\n\n"
            + history.rendered(significantDigits: 4).markdown()
        return StageResult(metrics: ["val_error": validation, "test_error": test, "params": Double(result.parameterCount),
                                     "epochs": Double(epochs.count), "images_per_s": imagesPerSecond],
                           tables: [history], charts: [ResultChart(name: "training-curve", svg: curves.svg())],
                           markdown: markdown)
    }
}

/// The optimisers a training stage can use.
enum OptimizerName: String, ParameterChoice {
    /// SGD with Nesterov momentum 0.9.
    case sgd
    /// Adam with betas 0.9 / 0.999.
    case adam

    var choice: OptimizerChoice {
        switch self {
        case .sgd: .nesterov
        case .adam: .adam()
        }
    }
}
