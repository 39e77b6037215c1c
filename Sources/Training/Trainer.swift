import Autodiff
import DatasetIO
import Foundation
import Kernels
import NN

/// Trains a classifier on a training split: epochs of shuffled, augmented batches, SGD (Nesterov)
/// or Adam with per-step cosine annealing, evaluation on the held-out splits after every epoch, a
/// checkpoint after every epoch and exact resume from it.
///
/// ```swift
/// let trainer = try Trainer(model: network, data: TrainingData(splits),
///                           configuration: TrainingConfiguration(epochs: 15, augmentation: .init(padding: 4, horizontalFlip: true)))
/// let result = try trainer.train(checkpoints: CheckpointFolder(folder), callbacks: reporter.callbacks)
/// print(result.test?.error ?? .nan, result.parameterCount)
/// ```
/// A run resumed from a checkpoint ends with the same weights, bit for bit, as one that was never
/// interrupted, given the same thread count (`TrainingConfiguration.threads`).
public final class Trainer {
    /// The network being trained; its tensors are updated in place.
    public let model: any Classifier
    /// The splits.
    public let data: TrainingData
    /// The settings.
    public let configuration: TrainingConfiguration
    /// The optimiser over the model's parameters.
    public let optimizer: any Optimizer
    /// The number of classes the model predicts.
    public let classes: Int
    /// Records of the finished epochs.
    public internal(set) var history = TrainingHistory()
    /// Optimiser steps taken so far (the cosine schedule's clock).
    public internal(set) var step = 0
    /// The batch iterator over the training split; its position is the run's random state.
    var iterator: BatchIterator
    private let schedule: CosineSchedule
    private let inputs = InputBuffer()

    /// Prepares a run, checking the settings, the data and that the model accepts the images and
    /// predicts a class for every label.
    /// - Throws: `TrainingError` for an invalid setting, an empty split, a split of another image
    ///   shape, a model that rejects the images, or a label the model cannot predict.
    public init(model: any Classifier, data: TrainingData, configuration: TrainingConfiguration) throws {
        try configuration.validate()
        try data.validate()
        do {
            iterator = try BatchIterator(dataset: data.train, batchSize: configuration.batchSize, seed: configuration.seed,
                                         shuffle: true, dropLast: configuration.dropLastBatch,
                                         augmentation: configuration.augmentation)
        } catch {
            throw TrainingError.invalidSetting(name: "augmentation padding", value: "\(configuration.augmentation.padding)",
                                               reason: "does not fit images of \(data.train.shape) (\(error))")
        }
        guard iterator.batchesPerEpoch > 0 else {
            throw TrainingError.invalidSetting(name: "batch size", value: "\(configuration.batchSize)",
                                               reason: "exceeds the \(data.train.count) training examples while the last partial batch is dropped")
        }
        self.model = model
        self.data = data
        self.configuration = configuration
        classes = try Trainer.probeClasses(model, data.train)
        try data.checkLabels(classes: classes)
        optimizer = configuration.makeOptimizer(for: model.parameters)
        schedule = CosineSchedule(baseLearningRate: configuration.learningRate,
                                  totalSteps: configuration.epochs * iterator.batchesPerEpoch,
                                  minimumLearningRate: configuration.minimumLearningRate)
    }

    /// Epochs finished so far.
    public var completedEpochs: Int { history.epochs.count }
    /// Training steps per epoch.
    public var batchesPerEpoch: Int { iterator.batchesPerEpoch }
    /// The model's trainable scalars.
    public var parameterCount: Int { model.parameterCount }
    /// A copy of the model's current parameters and buffers.
    public var weights: StateDict { StateDict(model.state) }

    /// Trains the remaining epochs. With a checkpoint folder, first resumes from the checkpoint in
    /// it (when this trainer has not trained yet), and saves a checkpoint after every epoch.
    /// - Throws: `TrainingError.nonFiniteLoss`, checkpoint and file errors, and whatever a callback
    ///   throws to stop the run.
    public func train(checkpoints: CheckpointFolder? = nil, callbacks: TrainingCallbacks = TrainingCallbacks())
        throws -> TrainingResult {
        try withConfiguredThreads {
            let clock = ContinuousClock()
            let started = clock.now
            if let checkpoints, completedEpochs == 0, step == 0, let saved = try checkpoints.load() {
                try restore(saved, from: checkpoints.checkpointURL.path)
            }
            let startEpoch = completedEpochs
            try callbacks.onStart?(startEpoch, configuration.epochs)
            var meter = SpeedMeter(remainingSteps: (configuration.epochs - startEpoch) * batchesPerEpoch)
            var batch = iterator.makeBatch()
            while completedEpochs < configuration.epochs {
                let record = try trainEpoch(&batch, meter: &meter, callbacks: callbacks)
                history.epochs.append(record)
                try checkpoints?.save(checkpoint())
                try callbacks.onEpoch?(record, configuration.epochs)
            }
            let last = history.epochs.last
            return TrainingResult(
                history: history,
                validation: try last?.validation ?? data.validation.map(evaluate),
                test: try last?.test ?? data.test.map(evaluate),
                parameterCount: parameterCount, weights: weights, resumedFromEpoch: startEpoch,
                seconds: seconds(clock.now - started), imagesPerSecond: meter.imagesPerSecond)
        }
    }

    /// Error and mean loss of the model on `dataset`, in evaluation mode, without a tape.
    public func evaluate(_ dataset: Dataset) throws -> Evaluation {
        try withConfiguredThreads {
            try Evaluator(batchSize: configuration.evaluationBatchSize, inputs: inputs).evaluate(model, on: dataset)
        }
    }

    /// One epoch of training steps, then the evaluations; returns the epoch's record.
    private func trainEpoch(_ batch: inout Batch, meter: inout SpeedMeter, callbacks: TrainingCallbacks) throws -> EpochRecord {
        let clock = ContinuousClock()
        let started = clock.now
        let epoch = completedEpochs + 1
        var totals = EpochTotals()
        var learningRate = configuration.learningRate
        while true {
            let stepStarted = clock.now
            guard iterator.next(into: &batch) else { break }
            learningRate = schedule.learningRate(atStep: step)
            let (loss, wrong) = try trainStep(batch, learningRate: learningRate, epoch: epoch)
            totals.add(loss: loss, wrong: wrong, count: batch.count)
            let elapsed = seconds(clock.now - stepStarted)
            totals.trainingSeconds += elapsed
            meter.record(images: batch.count, seconds: elapsed)
            try callbacks.onBatch?(TrainingProgress(
                epoch: epoch, epochs: configuration.epochs, batch: iterator.position.batch, batchesPerEpoch: batchesPerEpoch,
                loss: totals.meanLoss, error: totals.error, learningRate: Double(learningRate),
                imagesPerSecond: totals.imagesPerSecond, etaSeconds: meter.etaSeconds))
        }
        let evaluator = Evaluator(batchSize: configuration.evaluationBatchSize, inputs: inputs)
        let validation = try data.validation.map { try evaluator.evaluate(model, on: $0) }
        let test = configuration.evaluateTestEachEpoch ? try data.test.map { try evaluator.evaluate(model, on: $0) } : nil
        return EpochRecord(epoch: epoch, trainLoss: totals.meanLoss, trainError: totals.error, validation: validation,
                           test: test, learningRate: Double(learningRate), imagesPerSecond: totals.imagesPerSecond,
                           seconds: seconds(clock.now - started))
    }

    /// Forward, backward and optimiser update on one batch; returns the loss and the mistakes.
    private func trainStep(_ batch: Batch, learningRate: Float, epoch: Int) throws -> (loss: Float, wrong: Int) {
        let x = inputs.tensor(for: batch)
        let tape = Tape()
        let (logits, loss) = try tape.record {
            let logits = try model(x, training: true)
            return (logits, try logits.softmaxCrossEntropy(labels: batch.labels))
        }
        guard loss.scalar.isFinite else {
            throw TrainingError.nonFiniteLoss(epoch: epoch, batch: iterator.position.batch, value: loss.scalar)
        }
        try tape.backward(from: loss)
        optimizer.learningRate = learningRate
        optimizer.step()
        optimizer.clearGradients()
        step += 1
        return (loss.scalar, try logits.mistakes(labels: batch.labels))
    }

    /// Runs `body` with the configured kernel thread count, or the process-wide one.
    private func withConfiguredThreads<R>(_ body: () throws -> R) throws -> R {
        guard let threads = configuration.threads else { return try body() }
        return try Parallelism.withThreads(threads, body)
    }

    /// The number of classes `model` predicts, from its logits for the first training image in
    /// evaluation mode (which changes no state).
    private static func probeClasses(_ model: any Classifier, _ train: Dataset) throws -> Int {
        let shape = train.shape
        let logits: Tensor
        do {
            let image = try Tensor(shape: [1, shape.channels, shape.height, shape.width], values: Array(train.image(at: 0)))
            logits = try model(image, training: false)
        } catch {
            throw TrainingError.modelRejectsInput(shape: shape.description, reason: "\(error)")
        }
        guard logits.shape.count == 2, logits.shape[0] == 1, logits.shape[1] >= 1 else {
            throw TrainingError.modelRejectsInput(shape: shape.description,
                                                  reason: "its logits have shape \(logits.shape), expected [1, classes]")
        }
        return logits.shape[1]
    }
}

/// Seconds in a duration.
func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}
