import DatasetIO
import Foundation
import Randomness
import Reports
import SMASH

/// Trains a SMASH network (paper Algorithm 1): every step samples an architecture, the HyperNet
/// generates its 1x1 weights, and both networks learn end to end. Checkpoints every epoch and
/// resumes after a kill; validates each epoch on freshly sampled architectures.
struct TrainSmashStage: StageKind {
    static let name = TrainedSmashNetwork.kind
    static let version = 1
    static let summary = "Trains a HyperNet and memory-bank main network end to end on random architectures."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = ["val_error", "train_error", "train_loss", "epochs", "hypernet_params", "main_params", "seconds_per_epoch"]

    struct Parameters: StageParameters {
        /// The search space preset.
        var space = SpaceName.v1FashionMNIST
        /// The HyperNet preset: `standard` (paper App. A) or `crippled` (Sec. 4.1).
        var hyperNet = HyperNetName.standard
        /// Moves capacity to freely learned 1x1 weights beside the generated ones (Sec. 4.1).
        var freelyLearned = false
        var epochs = 10
        var batchSize = 50
        /// Adam's betas and epsilon: the authors' code (`reference`) or Kingma & Ba's (`paper`).
        var adam = AdamSettings.reference
        var learningRate = 1e-3
        /// The code's annealing of the budget ceiling and of the largest kernel.
        var annealBudget = false
        var annealKernel = false
        /// Pad-crop (4 pixels) and horizontal flips of training batches.
        var augment = false
        /// Training images held out at random for validation (and for scoring downstream).
        var validation = 5000
        /// When positive, train on only the first this many training images of each class.
        var trainPerClass = 0
        /// Validation batches of 100 per epoch, each with its own sampled architecture; 0 for all.
        var validationBatches = 10
        /// An independent replica: another initialisation, batch order and architecture stream on
        /// the same data split (paper Fig. 5b averages the scores of three).
        var replica = 0

        static let rules: [ParameterRule] = [
            .range("epochs", 1...10_000), .range("batchSize", 1...4096), .range("learningRate", 1e-7...1.0),
            .atLeast("validation", 1), .atLeast("trainPerClass", 0), .atLeast("validationBatches", 0), .range("replica", 0...1000),
        ]
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let dataset = try context.dataset()
        let split = dataset.trainingSplit(seed: context.seed, validation: parameters.validation, trainPerClass: parameters.trainPerClass)
        let splits = try dataset.splits(split)
        let space = try SearchSpace.preset(named: parameters.space.rawValue)
        var hyperNet = try HyperNetConfiguration.preset(named: parameters.hyperNet.rawValue)
        hyperNet.freelyLearnedOneByOne = parameters.freelyLearned
        let seed = Self.seed(context.seed, replica: parameters.replica)
        var generator = SeededGenerator(seed: seed).derived("network")
        let network = try SmashNetwork(skeleton: space.skeleton, hyperNet: hyperNet, inputChannels: splits.train.shape.channels,
                                       classes: splits.train.classCount, using: &generator)
        let trainer = try makeTrainer(network, space: space, splits: splits, parameters: parameters, seed: seed)
        if let file = try context.checkpoint.load() {
            try trainer.restore(SmashCheckpoint.read(from: file.root))
            context.log("resumed after epoch \(trainer.epochsDone) of \(parameters.epochs)")
        }
        while trainer.epochsDone < parameters.epochs {
            let record = try trainer.runEpoch { progress in
                context.progress.update(completed: progress.step, total: progress.totalSteps, figures: [
                    "epoch": Double(progress.epoch + 1), "loss": Double(progress.loss), "lr": Double(progress.learningRate),
                ])
            }
            let checkpoint = trainer.checkpoint()
            try context.checkpoint.save { try checkpoint.write(to: $0) }
            context.log(line(record, epochs: parameters.epochs))
        }
        try TrainedSmashNetwork(network: network, space: space, hyperNet: hyperNet, datasetName: dataset.name, splitOptions: split)
            .write(to: context.output)
        return try report(trainer.history, network: network, parameters: parameters, context: context)
    }

    /// The seed of a replica's weights, batches and architectures: the pipeline seed for replica
    /// 0, an independent stream for the others.
    static func seed(_ pipelineSeed: UInt64, replica: Int) -> UInt64 {
        guard replica > 0 else { return pipelineSeed }
        var generator = SeededGenerator(seed: pipelineSeed).derived("replica \(replica)")
        return generator.next()
    }

    private func makeTrainer(_ network: SmashNetwork, space: SearchSpace, splits: DataSplits, parameters p: Parameters,
                             seed: UInt64) throws -> SmashTrainer {
        var adam = p.adam == .paper ? SmashOptimizerSettings.paper : SmashOptimizerSettings.reference
        adam.learningRate = Float(p.learningRate)
        let options = SmashTrainingOptions(epochs: p.epochs, optimizer: adam,
                                           annealing: Annealing(budget: p.annealBudget, kernel: p.annealKernel),
                                           validationBatches: p.validationBatches > 0 ? p.validationBatches : nil,
                                           validationBatchSize: 100, seed: seed)
        let iterator = try BatchIterator(dataset: splits.train, batchSize: p.batchSize, seed: seed,
                                         augmentation: p.augment ? Augmentation(padding: 4, horizontalFlip: true) : .none)
        return try SmashTrainer(network: network, space: space, options: options, iterator: iterator, validation: splits.validation)
    }

    private func line(_ record: SmashEpochRecord, epochs: Int) -> String {
        "epoch \(record.epoch + 1)/\(epochs)  train loss \(Table.cell(record.trainLoss, decimals: 4)) "
            + "err \(Table.cell(100 * record.trainError, decimals: 2))%  val err "
            + "\(Table.cell(100 * (record.validationError ?? .nan), decimals: 2))%  \(Table.cell(record.seconds, decimals: 1)) s"
    }

    private func report(_ history: [SmashEpochRecord], network: SmashNetwork, parameters p: Parameters,
                        context: StageContext) throws -> StageResult {
        let table = try ResultTable(name: "history", itemColumn: "epoch", columns: [
            ResultColumn("epoch", texts: history.map { String($0.epoch + 1) }),
            ResultColumn("train_loss", numbers: history.map(\.trainLoss)),
            ResultColumn("train_error", numbers: history.map(\.trainError)),
            ResultColumn("val_loss", numbers: history.map { $0.validationLoss ?? .nan }),
            ResultColumn("val_error", numbers: history.map { $0.validationError ?? .nan }),
            ResultColumn("seconds", numbers: history.map(\.seconds)),
        ])
        for column in table.columns where column.name != "epoch" {
            if case .numbers(let values) = column.values { try context.output.write(column.name, values) }
        }
        let x = history.map { Double($0.epoch + 1) }
        let chart = LineChart(series: [
            LineChart.Series(name: "train error", x: x, y: history.map(\.trainError)),
            LineChart.Series(name: "validation error (sampled architectures)", x: x, y: history.map { $0.validationError ?? .nan }),
        ], titles: ChartTitles(title: "SMASH training (\(p.space.rawValue), \(p.hyperNet.rawValue) HyperNet)", xLabel: "epoch",
                               yLabel: "error"))
        let last = history.last
        let hyperNetCount = network.hyperNetParameters.reduce(0) { $0 + $1.tensor.count }
        let mainCount = network.mainParameters.reduce(0) { $0 + $1.tensor.count }
        let seconds = history.reduce(0) { $0 + $1.seconds } / Double(max(history.count, 1))
        let markdown = "SMASH network on the `\(p.space.rawValue)` space with the \(p.hyperNet.rawValue) HyperNet"
            + (p.freelyLearned ? " and freely learned 1x1 weights" : "")
            + " (\(hyperNetCount) HyperNet and \(mainCount) main-network parameters), \(history.count) epochs of batch \(p.batchSize), "
            + "Adam lr \(p.learningRate) (\(p.adam.rawValue) betas), cosine: validation error on freshly sampled architectures "
            + "\(Table.cell(100 * (last?.validationError ?? .nan), decimals: 2))%, \(Table.cell(seconds, decimals: 1)) s per epoch.\n\n"
            + table.rendered(significantDigits: 4).markdown()
        return StageResult(metrics: [
            "val_error": last?.validationError ?? 1, "train_error": last?.trainError ?? 1, "train_loss": last?.trainLoss ?? 0,
            "epochs": Double(history.count), "hypernet_params": Double(hyperNetCount), "main_params": Double(mainCount),
            "seconds_per_epoch": seconds,
        ], tables: [table], charts: [ResultChart(name: "smash-training", svg: chart.svg())], markdown: markdown)
    }
}

/// The search-space presets a stage can name.
enum SpaceName: String, ParameterChoice {
    case v1CIFAR = "v1-cifar"
    case v2CIFAR = "v2-cifar"
    case v1FashionMNIST = "v1-fmnist"
    case v2FashionMNIST = "v2-fmnist"
}

/// The HyperNet presets a stage can name.
enum HyperNetName: String, ParameterChoice {
    case standard, crippled
}

/// Adam's betas and epsilon for SMASH training.
enum AdamSettings: String, ParameterChoice {
    /// The authors' code: betas (0.5, 0.999), epsilon 1e-4.
    case reference
    /// Kingma & Ba: betas (0.9, 0.999), epsilon 1e-8.
    case paper
}
