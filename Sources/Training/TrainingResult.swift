import NN

/// What a finished run hands back: its history, final held-out figures, size and weights.
public struct TrainingResult: Sendable {
    /// One record per epoch, resumed epochs included.
    public var history: TrainingHistory
    /// Validation figures of the final weights, when there is a validation split.
    public var validation: Evaluation?
    /// Test figures of the final weights, when there is a test split.
    public var test: Evaluation?
    /// Trainable scalars of the model.
    public var parameterCount: Int
    /// The final parameters and buffers.
    public var weights: StateDict
    /// The epoch this call started from: 0 for a fresh run, the checkpoint's epoch when resumed.
    public var resumedFromEpoch: Int
    /// Wall-clock seconds of this call.
    public var seconds: Double
    /// Training images per second over this call's steps (0 when none were left to take).
    public var imagesPerSecond: Double

    /// A result with every part given.
    public init(history: TrainingHistory, validation: Evaluation?, test: Evaluation?, parameterCount: Int,
                weights: StateDict, resumedFromEpoch: Int, seconds: Double, imagesPerSecond: Double) {
        self.history = history
        self.validation = validation
        self.test = test
        self.parameterCount = parameterCount
        self.weights = weights
        self.resumedFromEpoch = resumedFromEpoch
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
    }
}
