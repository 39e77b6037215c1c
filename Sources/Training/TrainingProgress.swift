/// Where a run stands after a training step: what a progress bar shows.
public struct TrainingProgress: Sendable, Hashable {
    /// The current epoch, from 1.
    public var epoch: Int
    /// The run's epochs.
    public var epochs: Int
    /// Batches done in the current epoch.
    public var batch: Int
    /// Batches per epoch.
    public var batchesPerEpoch: Int
    /// Mean training loss of the epoch so far.
    public var loss: Double
    /// Training error of the epoch so far.
    public var error: Double
    /// The learning rate of the step just taken.
    public var learningRate: Double
    /// Training images per second in this epoch so far.
    public var imagesPerSecond: Double
    /// Estimated seconds until the last epoch's training steps are done (evaluation not included).
    public var etaSeconds: Double

    /// Progress with every figure given.
    public init(epoch: Int, epochs: Int, batch: Int, batchesPerEpoch: Int, loss: Double, error: Double,
                learningRate: Double, imagesPerSecond: Double, etaSeconds: Double) {
        self.epoch = epoch
        self.epochs = epochs
        self.batch = batch
        self.batchesPerEpoch = batchesPerEpoch
        self.loss = loss
        self.error = error
        self.learningRate = learningRate
        self.imagesPerSecond = imagesPerSecond
        self.etaSeconds = etaSeconds
    }

    /// The fraction of the whole run's training steps done, in [0, 1].
    public var fraction: Double {
        let total = Double(max(epochs * batchesPerEpoch, 1))
        return min(1, Double((epoch - 1) * batchesPerEpoch + batch) / total)
    }
}

/// Functions a run calls as it goes. Any of them may throw to stop the run (for example on a
/// cancel request); the error propagates out of `Trainer.train`, and the checkpoint of the last
/// finished epoch stays in place to resume from.
public struct TrainingCallbacks {
    /// Called once before the first step, with the epoch the run starts from (0 unless resumed).
    public var onStart: ((_ startEpoch: Int, _ epochs: Int) throws -> Void)?
    /// Called after every training step.
    public var onBatch: ((TrainingProgress) throws -> Void)?
    /// Called after every epoch, once its record is complete and its checkpoint written.
    public var onEpoch: ((EpochRecord, _ epochs: Int) throws -> Void)?

    /// Callbacks; any left out is not called.
    public init(onStart: ((Int, Int) throws -> Void)? = nil, onBatch: ((TrainingProgress) throws -> Void)? = nil,
                onEpoch: ((EpochRecord, Int) throws -> Void)? = nil) {
        self.onStart = onStart
        self.onBatch = onBatch
        self.onEpoch = onEpoch
    }
}
