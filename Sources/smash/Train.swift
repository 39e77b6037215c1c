import ArgumentParser
import DatasetIO
import Foundation
import NN
import Randomness
import Training

/// `smash train`: trains a Wide ResNet WRN-d-k on a catalog dataset, with checkpoints and resume.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a Wide ResNet (WRN-d-k) on a catalog dataset.",
        discussion: """
            Splits the dataset's training set into train and validation parts (seeded), trains with \
            SGD and Nesterov momentum (or Adam) under a per-step cosine schedule, and reports the \
            training loss and error, validation and test figures, learning rate and speed every epoch.

            With --checkpoint, the state after every epoch is written atomically to \
            DIR/checkpoint.h5 and the history to DIR/history.json; running the same command again \
            resumes from the last finished epoch, and the resumed run ends with the same weights as \
            an uninterrupted one (given the same --threads).

            Examples:
              smash train --epochs 1 --train-per-class 100 --depth 10 --width 1
              smash train --depth 16 --width 2 --epochs 15 --threads 2 --checkpoint .smash/runs/wrn16-2-fmnist
            """)

    @Option(help: "The dataset, as named in the catalog.")
    var dataset = "fashion-mnist"

    @Option(help: "The folder of dataset descriptors.")
    var catalog = DatasetCatalog.defaultFolder

    @Option(help: "WRN depth d (6n+4: 10, 16, 22, 28, 40, ...).")
    var depth = 16

    @Option(help: "WRN widening factor k.")
    var width = 2

    @Option(help: "Passes over the training split.")
    var epochs = 15

    @Option(help: "Examples per training step.")
    var batchSize = 128

    @Option(help: "Initial learning rate, annealed to 0 by a per-step cosine.")
    var lr: Float = 0.1

    @Option(help: "L2 weight decay.")
    var weightDecay: Float = 5e-4

    @Flag(help: "Exempt batch-norm scales and shifts and biases from weight decay.")
    var exemptNormBias = false

    @Option(help: "The optimiser: sgd (Nesterov momentum 0.9) or adam.")
    var optimizer = "sgd"

    @Flag(inversion: .prefixedNo, help: "Pad-crop (4 pixels) and horizontal-flip augmentation of training batches.")
    var augment = true

    @Option(help: "Training images held out at random as the validation split.")
    var validation = 5000

    @Option(help: "Keep only the first N training examples of each class (a quick subset).")
    var trainPerClass: Int?

    @Option(help: "Seed of the initial weights, batch order and augmentation.")
    var seed: UInt64 = 0

    @Option(help: "Seed of the train/validation split.")
    var splitSeed: UInt64 = 0

    @Option(help: "Kernel threads.")
    var threads = 1

    @Flag(help: "Evaluate the test split after every epoch, not only at the end.")
    var testEachEpoch = false

    @Option(help: "Folder for checkpoint.h5 and history.json; a checkpoint there is resumed.")
    var checkpoint: String?

    @Flag(inversion: .prefixedNo, help: "Resume from the checkpoint folder's checkpoint (otherwise start over).")
    var resume = true

    func run() throws {
        do {
            try train()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func train() throws {
        let descriptor = try DatasetCatalog(folder: catalog).descriptor(named: dataset)
        let files = try descriptor.resolve()
        var options = descriptor.splitOptions(seed: splitSeed)
        options.validationCount = validation
        options.trainPerClass = trainPerClass
        let splits = try files.load().splits(options)
        var generator = SeededGenerator(seed: seed).derived("model")
        let network = try WideResNet(WideResNetConfiguration(depth: depth, widenFactor: width,
                                                             inputChannels: splits.train.shape.channels,
                                                             classes: splits.train.classCount), using: &generator)
        let configuration = try trainingConfiguration(fingerprint: try files.fingerprint())
        let trainer = try Trainer(model: network, data: TrainingData(splits), configuration: configuration)
        let folder = try checkpointFolder()
        let reporter = TextReporter.standardOutput()
        reporter.line("WRN-\(depth)-\(width): \(grouped(trainer.parameterCount)) parameters; \(dataset) \(splits.train.shape): "
                      + "\(splits.train.count) train / \(splits.validation.count) validation / \(splits.test.count) test; "
                      + "\(trainer.batchesPerEpoch) steps per epoch, \(threads) thread\(threads == 1 ? "" : "s")")
        let result = try trainer.train(checkpoints: folder, callbacks: reporter.callbacks)
        reporter.line(summary(result))
        if let folder { reporter.line("history: \(folder.historyURL.path)") }
    }

    private func trainingConfiguration(fingerprint: String) throws -> TrainingConfiguration {
        let choice: OptimizerChoice
        switch optimizer {
        case "sgd": choice = .nesterov
        case "adam": choice = .adam()
        default: throw ValidationError("--optimizer must be sgd or adam, not '\(optimizer)'")
        }
        return TrainingConfiguration(
            epochs: epochs, batchSize: batchSize, optimizer: choice, learningRate: lr, weightDecay: weightDecay,
            exemptNormAndBiasFromDecay: exemptNormBias,
            augmentation: augment ? Augmentation(padding: 4, horizontalFlip: true) : .none, seed: seed,
            evaluateTestEachEpoch: testEachEpoch, threads: threads,
            tags: ["model": "WRN-\(depth)-\(width)", "dataset": dataset, "dataset fingerprint": fingerprint,
                   "validation": "\(validation)", "train per class": trainPerClass.map { "\($0)" } ?? "all",
                   "split seed": "\(splitSeed)"])
    }

    /// The checkpoint folder, emptied first when not resuming.
    private func checkpointFolder() throws -> CheckpointFolder? {
        guard let checkpoint else { return nil }
        let folder = CheckpointFolder(URL(fileURLWithPath: checkpoint))
        if !resume { try folder.clear() }
        return folder
    }

    private func summary(_ result: TrainingResult) -> String {
        var parts: [String] = []
        if let validation = result.validation {
            parts.append(String(format: "val error %.2f%% (loss %.4f)", 100 * validation.error, validation.loss))
        }
        if let test = result.test { parts.append(String(format: "test error %.2f%% (loss %.4f)", 100 * test.error, test.loss)) }
        parts.append("params \(grouped(result.parameterCount))")
        let total = result.history.epochs.reduce(0) { $0 + $1.seconds }
        parts.append("wall \(TextReporter.duration(result.seconds)) this run, \(TextReporter.duration(total)) over all epochs")
        parts.append(String(format: "%.1f img/s", result.imagesPerSecond))
        return "final: " + parts.joined(separator: "  ")
    }

    private func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        return stride(from: 0, to: digits.count, by: 3).map { end in
            String(digits[max(0, digits.count - end - 3) ..< digits.count - end])
        }.reversed().joined(separator: ",")
    }
}
