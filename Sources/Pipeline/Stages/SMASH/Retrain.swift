import DatasetIO
import Foundation
import Randomness
import Reports
import SMASH
import Training

/// Trains each upstream architecture from scratch as a resulting network (all weights freely
/// learned, batch norm in place of WeightNorm; paper App. C) with SGD-Nesterov and a cosine
/// schedule, once per seed. One cached item per architecture and seed; the item in progress
/// checkpoints every epoch, so a kill loses at most one epoch.
struct RetrainStage: StageKind {
    typealias Parameters = RetrainParameters
    static let name = "retrain"
    static let version = 1
    static let summary = "Trains each architecture from scratch per seed (one item each); validation and test error."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = RetrainExperiment.metricNames

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        try RetrainExperiment(parameters: parameters, context: context).run(inputs, title: "Retrained")
    }
}

/// Trains architectures found on one dataset on another (the stage's own `dataset:`), as the
/// paper transfers CIFAR-100 architectures to STL-10 and ImageNet32 (Sec. 4.3).
struct TransferEvaluateStage: StageKind {
    typealias Parameters = RetrainParameters
    static let name = "transfer-evaluate"
    static let version = 1
    static let summary = "Trains upstream architectures on this stage's dataset (set dataset: to transfer)."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = RetrainExperiment.metricNames

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let dataset = try context.dataset().name
        return try RetrainExperiment(parameters: parameters, context: context).run(inputs, title: "Transferred to `\(dataset)` and trained")
    }
}

/// The parameters of `retrain` and `transfer-evaluate`.
struct RetrainParameters: StageParameters {
    var epochs = 10
    var batchSize = 64
    var optimizer = OptimizerName.sgd
    var learningRate = 0.1
    var weightDecay = 5e-4
    /// Pad-crop (4 pixels) and horizontal flips of training batches.
    var augment = true
    /// Training seeds: each architecture is trained once per seed and the errors averaged.
    var seeds = [0]
    /// Training images held out at random for validation.
    var validation = 5000
    /// When positive, train on only the first this many training images of each class.
    var trainPerClass = 0
    /// When positive, train only the first this many architectures of the upstream lists.
    var count = 0

    static let rules: [ParameterRule] = [
        .range("epochs", 1...1000), .range("batchSize", 1...4096), .range("learningRate", 1e-6...10.0), .range("weightDecay", 0.0...1.0),
        .nonEmpty("seeds"), .range("seeds", 0...1_000_000), .atLeast("validation", 1), .atLeast("trainPerClass", 0), .atLeast("count", 0),
    ]

    func validate(_ stage: StageOutline) throws(PipelineError) {
        try stage.requireNeeds(ofKind: ArchitectureList.producerKinds, count: 1...Int.max, role: "architecture source")
        guard Set(seeds).count == seeds.count else {
            throw .invalidParameter(parameter: "seeds", reason: "repeats a seed", expected: "distinct seeds")
        }
    }
}

/// Trains resulting networks for `retrain` and `transfer-evaluate`.
struct RetrainExperiment {
    static let metricNames = ["architectures", "runs", "test_error_mean", "test_error_min", "val_error_mean", "val_error_min",
                              "params_mean"]

    let parameters: RetrainParameters
    let context: StageContext

    /// One training run's outcome.
    private struct Run {
        var validation: Double
        var test: Double
        var parameters: Int
        var seconds: Double
    }

    func run(_ inputs: StageInputs, title: String) throws -> StageResult {
        var list = try ArchitectureList.read(from: inputs)
        if parameters.count > 0 { list.architectures = Array(list.architectures.prefix(parameters.count)) }
        guard !list.architectures.isEmpty else {
            throw PipelineError.stageFailed(stage: context.stage, kind: context.kind, reason: "its upstream stages hold no architectures")
        }
        let dataset = try context.dataset()
        let split = dataset.trainingSplit(seed: context.seed, validation: parameters.validation, trainPerClass: parameters.trainPerClass)
        let splits = try dataset.splits(split)
        let items = try context.items(excludingParameters: ["seeds", "count"], excludingInputs: ArchitectureList.sourceStages(in: inputs))
        let total = list.architectures.count * parameters.seeds.count
        var runs: [[Run]] = []
        for architecture in list.architectures {
            var perSeed: [Run] = []
            for seed in parameters.seeds {
                let done = runs.count * parameters.seeds.count + perSeed.count
                perSeed.append(try train(architecture, seed: seed, splits: splits, items: items, done: done, total: total))
            }
            runs.append(perSeed)
        }
        try list.write(to: context.output)
        return try report(list, runs: runs, splits: splits, title: title)
    }

    /// Trains (or fetches) one architecture under one seed.
    private func train(_ architecture: Architecture, seed: Int, splits: DataSplits, items: ItemCache, done: Int, total: Int) throws -> Run {
        let item = "\(ArchitectureList.id(architecture))-s\(seed)"
        let artifact = try items.artifact(for: item) { group in
            var generator = SeededGenerator(seed: UInt64(seed)).derived("resulting network")
            let input = NetworkInput(channels: splits.train.shape.channels, height: splits.train.shape.height,
                                     width: splits.train.shape.width, classes: splits.train.classCount)
            let network = try ResultingNetwork(architecture: architecture, input: input, using: &generator)
            let configuration = TrainingConfiguration(
                epochs: parameters.epochs, batchSize: parameters.batchSize, optimizer: parameters.optimizer.choice,
                learningRate: Float(parameters.learningRate), weightDecay: Float(parameters.weightDecay),
                augmentation: parameters.augment ? Augmentation(padding: 4, horizontalFlip: true) : .none, seed: UInt64(seed),
                tags: ["stage key": context.key, "item": item])
            let trainer = try Trainer(model: network, data: TrainingData(splits), configuration: configuration)
            let folder = CheckpointFolder(context.checkpoint.folder.appendingPathComponent(item, isDirectory: true))
            let result = try trainer.train(checkpoints: folder, callbacks: TrainingCallbacks(onBatch: { progress in
                context.progress.update(completed: done, total: total, figures: [
                    "epoch": Double(progress.epoch), "loss": progress.loss, "img/s": progress.imagesPerSecond,
                ])
            }, onEpoch: { record, epochs in
                context.log("\(item) " + record.line(of: epochs))
            }))
            try group.attributes.set("val_error", .double(result.validation?.error ?? .nan))
            try group.attributes.set("test_error", .double(result.test?.error ?? .nan))
            try group.attributes.set("params", .int(Int64(result.parameterCount)))
            try group.attributes.set("seconds", .double(result.seconds))
            try group.write("test_error_per_epoch", result.history.epochs.map { $0.test?.error ?? .nan })
            try group.write("val_error_per_epoch", result.history.epochs.map { $0.validation?.error ?? .nan })
            try folder.clear()
        }
        let attributes = artifact.root.attributes
        return Run(validation: try attributes.double("val_error"), test: try attributes.double("test_error"),
                   parameters: Int(try attributes.int("params")), seconds: try attributes.double("seconds"))
    }

    private func report(_ list: ArchitectureList, runs: [[Run]], splits: DataSplits, title: String) throws -> StageResult {
        let p = parameters
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        let testMeans = runs.map { mean($0.map(\.test)) }, validationMeans = runs.map { mean($0.map(\.validation)) }
        let testSummaries = try runs.map { try Summary($0.map(\.test)) }
        let params = runs.map { Double($0.first?.parameters ?? 0) }
        try context.output.write("test_error", testMeans)
        try context.output.write("val_error", validationMeans)
        let table = try ResultTable(name: "retrain", itemColumn: "architecture", columns: [
            ResultColumn("architecture", texts: list.ids), ResultColumn("val_error", numbers: validationMeans),
            ResultColumn("test_error", numbers: testMeans), ResultColumn("test_error_std", numbers: testSummaries.map(\.standardDeviation)),
            ResultColumn("test_error_se", numbers: testSummaries.map(\.standardError)), ResultColumn("params", numbers: params),
            ResultColumn("seconds", numbers: runs.map { $0.reduce(0) { $0 + $1.seconds } }),
        ])
        let flat = zip(list.ids, runs).flatMap { id, perSeed in zip(p.seeds, perSeed).map { (id, $0, $1) } }
        let runTable = try ResultTable(name: "runs", itemColumn: "run", columns: [
            ResultColumn("run", texts: flat.map { "\($0.0)-s\($0.1)" }), ResultColumn("architecture", texts: flat.map(\.0)),
            ResultColumn("seed", numbers: flat.map { Double($0.1) }),
            ResultColumn("run_val_error", numbers: flat.map(\.2.validation)), ResultColumn("run_test_error", numbers: flat.map(\.2.test)),
        ])
        let test = try Summary(testMeans), validation = try Summary(validationMeans)
        let markdown = "\(title): \(list.architectures.count) architecture(s) × \(p.seeds.count) seed(s) on "
            + "\(splits.train.count) training images, \(p.epochs) epochs of batch \(p.batchSize), \(p.optimizer.rawValue) lr "
            + "\(p.learningRate) cosine, weight decay \(p.weightDecay)" + (p.augment ? ", pad-crop + flip" : "")
            + ": test error \(Table.cell(100 * test.mean, decimals: 2))% on average (best \(Table.cell(100 * test.minimum, decimals: 2))%), "
            + "validation error \(Table.cell(100 * validation.mean, decimals: 2))%.\n\n" + table.rendered(significantDigits: 4).markdown()
        return StageResult(metrics: [
            "architectures": Double(list.architectures.count), "runs": Double(flat.count), "test_error_mean": test.mean,
            "test_error_min": test.minimum, "val_error_mean": validation.mean, "val_error_min": validation.minimum,
            "params_mean": try Summary(params).mean,
        ], tables: [table, runTable], markdown: markdown)
    }
}
