/// Adam settings for SMASH training.
public struct SmashOptimizerSettings: Codable, Sendable, Hashable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// L2 weight decay of the freely learned main-network weights.
    public var weightDecay: Float
    /// L2 weight decay of the HyperNet.
    public var hyperNetWeightDecay: Float

    public init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, hyperNetWeightDecay: Float) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.hyperNetWeightDecay = hyperNetWeightDecay
    }

    /// The authors' code (the default): lr 1e-3, betas (0.5, 0.999), eps 1e-4, weight decay 1e-4
    /// except 0 on the HyperNet.
    public static let reference = SmashOptimizerSettings(learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-4,
                                                         weightDecay: 1e-4, hyperNetWeightDecay: 0)
    /// The paper's "initial parameters" read as Kingma & Ba's: betas (0.9, 0.999), eps 1e-8; lr and
    /// weight decay as in the code.
    public static let paper = SmashOptimizerSettings(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                                                     weightDecay: 1e-4, hyperNetWeightDecay: 0)

    /// Throws the first out-of-range setting.
    public func validate() throws(SMASHError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalidOption(name: "optimizer.learningRate", found: "\(learningRate)", expected: "positive")
        }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw .invalidOption(name: "optimizer.beta1/beta2", found: "\(beta1)/\(beta2)", expected: "in [0, 1)")
        }
        guard epsilon > 0, weightDecay >= 0, hyperNetWeightDecay >= 0 else {
            throw .invalidOption(name: "optimizer.epsilon/weightDecay", found: "\(epsilon)/\(weightDecay)/\(hyperNetWeightDecay)",
                                 expected: "a positive epsilon and non-negative weight decays")
        }
    }
}

/// How to train a SMASH network.
public struct SmashTrainingOptions: Codable, Sendable, Hashable {
    /// Passes over the training set.
    public var epochs: Int
    /// The Adam settings.
    public var optimizer: SmashOptimizerSettings
    /// The code's annealing of the budget ceiling and the largest kernel (off by default).
    public var annealing: Annealing
    /// Validation batches per epoch (each with a freshly sampled architecture); `nil` for all.
    public var validationBatches: Int?
    /// Images per validation batch.
    public var validationBatchSize: Int
    /// The seed of every architecture and noise draw (initial weights are seeded by the caller).
    public var seed: UInt64

    public init(epochs: Int, optimizer: SmashOptimizerSettings = .reference, annealing: Annealing = Annealing(),
                validationBatches: Int? = nil, validationBatchSize: Int = 100, seed: UInt64 = 0) {
        self.epochs = epochs
        self.optimizer = optimizer
        self.annealing = annealing
        self.validationBatches = validationBatches
        self.validationBatchSize = validationBatchSize
        self.seed = seed
    }

    /// Throws the first out-of-range option.
    public func validate() throws(SMASHError) {
        guard epochs >= 1 else { throw .invalidOption(name: "epochs", found: "\(epochs)", expected: "at least 1") }
        try optimizer.validate()
        if let batches = validationBatches, batches < 0 {
            throw .invalidOption(name: "validationBatches", found: "\(batches)", expected: "at least 0")
        }
        guard validationBatchSize >= 1 else {
            throw .invalidOption(name: "validationBatchSize", found: "\(validationBatchSize)", expected: "at least 1")
        }
    }
}
