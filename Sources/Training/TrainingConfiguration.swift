import DatasetIO
import NN

/// The optimiser a run uses, with its own hyper-parameters.
public enum OptimizerChoice: Codable, Sendable, Hashable {
    /// SGD with momentum, Nesterov's variant when `nesterov` (PyTorch's update rule).
    case sgd(momentum: Float = 0.9, nesterov: Bool = true)
    /// Adam with bias correction.
    case adam(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)

    /// SGD with Nesterov momentum 0.9, the Wide ResNet recipe.
    public static let nesterov = OptimizerChoice.sgd()

    /// The settings as (name, value) pairs, for logs and checkpoint checks.
    var settings: [(String, String)] {
        switch self {
        case let .sgd(momentum, nesterov):
            [("optimizer", nesterov ? "sgd-nesterov" : "sgd"), ("momentum", "\(momentum)")]
        case let .adam(beta1, beta2, epsilon):
            [("optimizer", "adam"), ("beta1", "\(beta1)"), ("beta2", "\(beta2)"), ("epsilon", "\(epsilon)")]
        }
    }
}

/// Everything that decides what a training run computes. Two runs with equal configurations, equal
/// data, equal initial weights and the same thread count produce the same weights bit for bit.
public struct TrainingConfiguration: Codable, Sendable, Hashable {
    /// Passes over the training split.
    public var epochs: Int
    /// Examples per training step.
    public var batchSize: Int
    /// The optimiser and its momentum settings.
    public var optimizer: OptimizerChoice
    /// The learning rate at the first step; cosine annealing takes it to `minimumLearningRate`
    /// at the last step, updated every step.
    public var learningRate: Float
    /// The learning rate the cosine schedule ends at.
    public var minimumLearningRate: Float
    /// L2 penalty added to the gradients.
    public var weightDecay: Float
    /// Whether batch-norm scales and shifts and biases (every parameter of rank ≤ 1) are exempt
    /// from weight decay.
    public var exemptNormAndBiasFromDecay: Bool
    /// Random pad-crop and flip applied to training batches.
    public var augmentation: Augmentation
    /// Whether the last training batch of an epoch is skipped when smaller than `batchSize`.
    public var dropLastBatch: Bool
    /// Seed of the batch order and the augmentation (initial weights are the caller's).
    public var seed: UInt64
    /// Examples per evaluation batch.
    public var evaluationBatchSize: Int
    /// Whether the test split is evaluated after every epoch (otherwise only at the end).
    public var evaluateTestEachEpoch: Bool
    /// Kernel threads for this run; `nil` keeps the process-wide setting. Sums split over threads
    /// round differently, so a bit-exact resume needs the same count.
    public var threads: Int?
    /// Facts a checkpoint must match to be resumed, such as the dataset, split and architecture.
    public var tags: [String: String]

    /// A configuration with the Wide ResNet defaults: SGD with Nesterov momentum 0.9, learning
    /// rate 0.1 annealed to 0 by a per-step cosine, weight decay 5e-4 on every parameter.
    public init(epochs: Int, batchSize: Int = 128, optimizer: OptimizerChoice = .nesterov,
                learningRate: Float = 0.1, minimumLearningRate: Float = 0, weightDecay: Float = 5e-4,
                exemptNormAndBiasFromDecay: Bool = false, augmentation: Augmentation = .none,
                dropLastBatch: Bool = false, seed: UInt64 = 0, evaluationBatchSize: Int = 500,
                evaluateTestEachEpoch: Bool = false, threads: Int? = nil, tags: [String: String] = [:]) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.minimumLearningRate = minimumLearningRate
        self.weightDecay = weightDecay
        self.exemptNormAndBiasFromDecay = exemptNormAndBiasFromDecay
        self.augmentation = augmentation
        self.dropLastBatch = dropLastBatch
        self.seed = seed
        self.evaluationBatchSize = evaluationBatchSize
        self.evaluateTestEachEpoch = evaluateTestEachEpoch
        self.threads = threads
        self.tags = tags
    }

    /// Throws the first setting that is out of range.
    public func validate() throws(TrainingError) {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ reason: String) throws(TrainingError) {
            guard ok else { throw .invalidSetting(name: name, value: "\(value)", reason: reason) }
        }
        try check(epochs >= 1, "epochs", epochs, "must be at least 1")
        try check(batchSize >= 1, "batch size", batchSize, "must be at least 1")
        try check(evaluationBatchSize >= 1, "evaluation batch size", evaluationBatchSize, "must be at least 1")
        try check(learningRate.isFinite && learningRate > 0, "learning rate", learningRate, "must be positive and finite")
        try check(minimumLearningRate.isFinite && minimumLearningRate >= 0 && minimumLearningRate <= learningRate,
                  "minimum learning rate", minimumLearningRate, "must lie in 0...\(learningRate) (the learning rate)")
        try check(weightDecay.isFinite && weightDecay >= 0, "weight decay", weightDecay, "must be zero or positive")
        try check(threads.map { $0 >= 1 } ?? true, "threads", threads ?? 0, "must be at least 1")
        try check(augmentation.padding >= 0, "augmentation padding", augmentation.padding, "must be zero or positive")
        switch optimizer {
        case let .sgd(momentum, _):
            try check(momentum >= 0 && momentum < 1, "momentum", momentum, "must lie in [0, 1)")
        case let .adam(beta1, beta2, epsilon):
            try check(beta1 >= 0 && beta1 < 1, "beta1", beta1, "must lie in [0, 1)")
            try check(beta2 >= 0 && beta2 < 1, "beta2", beta2, "must lie in [0, 1)")
            try check(epsilon > 0 && epsilon.isFinite, "epsilon", epsilon, "must be positive")
        }
    }

    /// The settings that decide the computation, as (name, value) pairs in a fixed order: what a
    /// checkpoint records and a resuming run must match. The evaluation batch size and whether the
    /// test split is evaluated every epoch change no weight, so they are left out.
    public var settings: [(name: String, value: String)] {
        var pairs: [(String, String)] = [
            ("epochs", "\(epochs)"), ("batch size", "\(batchSize)"), ("learning rate", "\(learningRate)"),
            ("minimum learning rate", "\(minimumLearningRate)"), ("weight decay", "\(weightDecay)"),
            ("exempt norm and bias from decay", "\(exemptNormAndBiasFromDecay)"),
            ("augmentation padding", "\(augmentation.padding)"), ("augmentation flip", "\(augmentation.horizontalFlip)"),
            ("drop last batch", "\(dropLastBatch)"), ("seed", "\(seed)"),
        ]
        pairs += optimizer.settings
        pairs += tags.sorted { $0.key < $1.key }.map { ("tag \($0.key)", $0.value) }
        return pairs.map { (name: $0.0, value: $0.1) }
    }
}

extension TrainingConfiguration {
    /// The optimiser this configuration describes, over `parameters`: one group with the weight
    /// decay, or, when norm and bias parameters are exempt, a second group of the parameters of
    /// rank ≤ 1 without it.
    public func makeOptimizer(for parameters: [NamedTensor]) -> any Optimizer {
        var groups = [ParameterGroup(parameters, weightDecay: weightDecay)]
        if exemptNormAndBiasFromDecay {
            groups = [ParameterGroup(parameters.filter { $0.tensor.shape.count > 1 }, weightDecay: weightDecay),
                      ParameterGroup(parameters.filter { $0.tensor.shape.count <= 1 }, weightDecay: 0)]
        }
        switch optimizer {
        case let .sgd(momentum, nesterov):
            return SGD(groups, learningRate: learningRate, momentum: momentum, nesterov: nesterov)
        case let .adam(beta1, beta2, epsilon):
            return Adam(groups, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}
