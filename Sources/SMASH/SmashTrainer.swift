import Autodiff
import DatasetIO
import Dispatch
import NN
import Randomness

/// What one epoch of SMASH training achieved.
public struct SmashEpochRecord: Codable, Sendable, Hashable {
    /// The epoch, from 0.
    public var epoch: Int
    /// Mean training loss and error over the epoch's steps (each on its own architecture).
    public var trainLoss: Double
    public var trainError: Double
    /// Validation loss and error, each batch on a freshly sampled architecture; `nil` without a
    /// validation split.
    public var validationLoss: Double?
    public var validationError: Double?
    /// Wall time of the epoch, validation included.
    public var seconds: Double
}

/// Where a SMASH training run stands, for progress reports.
public struct SmashProgress: Sendable {
    public var epoch: Int
    /// Steps done.
    public var step: Int
    public var totalSteps: Int
    /// The last step's loss.
    public var loss: Float
    public var learningRate: Float
    /// Set once an epoch ends.
    public var finishedEpoch: SmashEpochRecord?
}

/// A SMASH run's state after a whole epoch: enough to resume it exactly.
public struct SmashCheckpoint: Codable, Sendable, Equatable {
    /// The network's parameters and batch-norm statistics.
    public var network: StateDict
    /// Adam's moments and step counts.
    public var optimizer: StateDict
    /// The next step's index.
    public var step: Int
    /// The training iterator's position.
    public var iterator: BatchIterator.Position
    /// Records of the finished epochs.
    public var history: [SmashEpochRecord]

    public init(network: StateDict, optimizer: StateDict, step: Int, iterator: BatchIterator.Position, history: [SmashEpochRecord]) {
        self.network = network
        self.optimizer = optimizer
        self.step = step
        self.iterator = iterator
        self.history = history
    }
}

/// Trains a SMASH network for whole epochs over a batch iterator, validating each epoch on
/// freshly sampled architectures (batch norm in evaluation mode), with a checkpoint after every
/// epoch from which a new trainer resumes exactly.
public final class SmashTrainer {
    public let stepper: SmashStepper
    public private(set) var iterator: BatchIterator
    public let validation: Dataset?
    public private(set) var history: [SmashEpochRecord] = []
    /// Steps between progress reports within an epoch.
    public var progressInterval = 50

    /// A trainer for `options.epochs` epochs of `iterator`'s batches.
    public init(network: SmashNetwork, space: SearchSpace, options: SmashTrainingOptions, iterator: BatchIterator,
                validation: Dataset?) throws(SMASHError) {
        guard iterator.batchesPerEpoch >= 1 else {
            throw .invalidOption(name: "training set", found: "\(iterator.dataset.count) images", expected: "at least one batch")
        }
        stepper = try SmashStepper(network: network, space: space, options: options,
                                   totalSteps: options.epochs * iterator.batchesPerEpoch)
        self.iterator = iterator
        self.validation = validation
    }

    public var network: SmashNetwork { stepper.network }
    /// Epochs finished so far.
    public var epochsDone: Int { history.count }

    /// Runs the remaining epochs; returns every epoch's record.
    public func train(progress: (SmashProgress) -> Void = { _ in }) throws -> [SmashEpochRecord] {
        while epochsDone < stepper.options.epochs { _ = try runEpoch(progress: progress) }
        return history
    }

    /// Runs one epoch (continuing mid-epoch if the iterator stands there), then validates.
    public func runEpoch(progress: (SmashProgress) -> Void = { _ in }) throws -> SmashEpochRecord {
        let start = DispatchTime.now().uptimeNanoseconds
        let epoch = epochsDone
        var batch = iterator.makeBatch()
        var (lossSum, errors, count, steps) = (0.0, 0, 0, 0)
        let shape = iterator.dataset.shape
        while iterator.next(into: &batch) {
            let images = try Tensor(shape: [batch.count, shape.channels, shape.height, shape.width], values: batch.images)
            let result = try stepper.train(images: images, labels: batch.labels)
            (lossSum, errors, count, steps) = (lossSum + Double(result.loss), errors + result.errors, count + result.count, steps + 1)
            if stepper.step % progressInterval == 0 {
                progress(SmashProgress(epoch: epoch, step: stepper.step, totalSteps: stepper.totalSteps, loss: result.loss,
                                       learningRate: stepper.optimizer.learningRate, finishedEpoch: nil))
            }
        }
        let validated = try validate(epoch: epoch)
        let record = SmashEpochRecord(epoch: epoch, trainLoss: lossSum / Double(max(steps, 1)),
                                      trainError: Double(errors) / Double(max(count, 1)), validationLoss: validated?.loss,
                                      validationError: validated?.error,
                                      seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        history.append(record)
        progress(SmashProgress(epoch: epoch, step: stepper.step, totalSteps: stepper.totalSteps, loss: Float(record.trainLoss),
                               learningRate: stepper.optimizer.learningRate, finishedEpoch: record))
        return record
    }

    /// Error and loss on the validation split, each batch with its own architecture drawn for
    /// this epoch (under the current sampling limits) and its own noise.
    public func validate(epoch: Int) throws -> SmashScore? {
        guard let validation, validation.count > 0 else { return nil }
        let size = stepper.options.validationBatchSize
        let batches = min(stepper.options.validationBatches ?? Int.max, (validation.count + size - 1) / size)
        guard batches > 0 else { return nil }
        var (errors, lossSum, count) = (0, 0.0, 0)
        for index in 0..<batches {
            var generator = SeededGenerator(seed: stepper.options.seed).derived("validation \(epoch) \(index)")
            let architecture = stepper.sampler.sample(using: &generator, limits: stepper.limits(atStep: stepper.step))
            let matrix = try network.generate(for: architecture, using: &generator)
            let (images, labels) = try validation.batch(index * size ..< min((index + 1) * size, validation.count))
            let result = try network.evaluate(images, labels: labels, architecture: architecture, matrix: matrix)
            (errors, lossSum, count) = (errors + result.errors, lossSum + result.lossSum, count + labels.count)
        }
        return SmashScore(error: Double(errors) / Double(count), loss: lossSum / Double(count), count: count)
    }

    /// The state to resume from.
    public func checkpoint() -> SmashCheckpoint {
        SmashCheckpoint(network: StateDict(network.state), optimizer: StateDict(stepper.optimizer.state), step: stepper.step,
                        iterator: iterator.position, history: history)
    }

    /// Restores a checkpoint taken by a trainer with the same network shape, space and options.
    /// - Throws: `SMASHError.invalidCheckpoint` when a tensor is missing or has another shape, or
    ///   the iterator position does not fit.
    public func restore(_ checkpoint: SmashCheckpoint) throws(SMASHError) {
        do {
            try checkpoint.network.load(into: network.state)
            try checkpoint.optimizer.load(into: stepper.optimizer.state)
            try iterator.seek(to: checkpoint.iterator)
        } catch let error as StateDictError {
            throw .invalidCheckpoint(message: error.description)
        } catch let error as DatasetError {
            throw .invalidCheckpoint(message: "\(error)")
        } catch {
            throw .invalidCheckpoint(message: "\(error)")
        }
        guard checkpoint.step >= 0, checkpoint.step <= stepper.totalSteps else {
            throw .invalidCheckpoint(message: "step \(checkpoint.step) is outside the run's 0...\(stepper.totalSteps) steps")
        }
        stepper.step = checkpoint.step
        history = checkpoint.history
    }
}
