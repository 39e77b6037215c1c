import Randomness

extension Dataset {
    /// Holds out `count` examples chosen at random from `seed`; both parts keep file order.
    /// The same seed, stream name and dataset size always choose the same examples.
    /// - Throws: `.invalidArgument` unless `0 <= count <= self.count`.
    public func randomSplit(holdingOut count: Int, seed: UInt64, stream: String = "validation")
        throws(DatasetError) -> (kept: Dataset, heldOut: Dataset) {
        let (kept, heldOut) = try randomSplitIndices(holdingOut: count, seed: seed, stream: stream)
        return (try selecting(kept), try selecting(heldOut))
    }

    /// The indices `randomSplit` keeps and holds out, each ascending.
    public func randomSplitIndices(holdingOut heldOutCount: Int, seed: UInt64, stream: String = "validation")
        throws(DatasetError) -> (kept: [Int], heldOut: [Int]) {
        guard heldOutCount >= 0, heldOutCount <= count else {
            throw .invalidArgument(name: "held-out count", reason: "must lie in 0...\(count), not \(heldOutCount)")
        }
        var generator = SeededGenerator(seed: seed).derived(stream)
        let permutation = generator.permutation(count)
        return (permutation[heldOutCount...].sorted(), permutation[..<heldOutCount].sorted())
    }
}

/// How to cut a dataset into train, validation and test splits.
public struct SplitOptions: Codable, Sendable, Hashable {
    /// Training examples held out at random as the validation split (the paper holds out 5,000).
    public var validationCount: Int
    /// Training examples held out at random as the test split, used only when the dataset has no
    /// official test set (the digits).
    public var testHoldoutCount: Int
    /// Seed of both random hold-outs.
    public var seed: UInt64
    /// When set, keep only the first k examples per class of the train split (after splitting).
    public var trainPerClass: Int?
    /// When set, keep only the first k examples per class of the validation split.
    public var validationPerClass: Int?
    /// When set, keep only the first k examples per class of the test split.
    public var testPerClass: Int?
    /// When set, resample every image to this height and width (before normalisation).
    public var resize: ResizeTarget?
    /// Normalise every split with per-channel statistics of the training split.
    public var normalize: Bool

    /// Options with the paper's defaults: 5,000 validation examples, seed 0, normalisation on.
    public init(validationCount: Int = 5000, testHoldoutCount: Int = 0, seed: UInt64 = 0,
                trainPerClass: Int? = nil, validationPerClass: Int? = nil, testPerClass: Int? = nil,
                resize: ResizeTarget? = nil, normalize: Bool = true) {
        self.validationCount = validationCount
        self.testHoldoutCount = testHoldoutCount
        self.seed = seed
        self.trainPerClass = trainPerClass
        self.validationPerClass = validationPerClass
        self.testPerClass = testPerClass
        self.resize = resize
        self.normalize = normalize
    }
}

/// A size and method to resample images to.
public struct ResizeTarget: Codable, Sendable, Hashable {
    /// Target height in pixels.
    public var height: Int
    /// Target width in pixels.
    public var width: Int
    /// How to sample the source.
    public var method: ResizeMethod

    /// A target of `height` x `width`, bilinear unless told otherwise.
    public init(height: Int, width: Int, method: ResizeMethod = .bilinear) {
        self.height = height
        self.width = width
        self.method = method
    }
}

/// The train, validation and test splits of one dataset, with the normalisation fitted on the
/// training split (stored here so the same statistics can be reapplied to new data).
public struct DataSplits: Sendable {
    /// The examples to train on.
    public var train: Dataset
    /// The held-out training examples (SMASH scores architectures on these).
    public var validation: Dataset
    /// The official test set, or a random hold-out when there is none.
    public var test: Dataset
    /// Indices of the train examples in the original training set, before per-class subsets.
    public var trainIndices: [Int]
    /// Indices of the validation examples in the original training set, before per-class subsets.
    public var validationIndices: [Int]
    /// The statistics every split was normalised with, or `nil` when `normalize` was off.
    public var normalization: ChannelNormalization?

    /// Splits `training` into train and validation (and test, when `test` is nil), then applies
    /// per-class subsets, resizing and normalisation from `options`, in that order.
    public init(training: Dataset, test: Dataset?, options: SplitOptions) throws(DatasetError) {
        var pool = training
        var poolIndices = Array(0..<training.count)
        var testSplit: Dataset
        if let test {
            testSplit = test
        } else {
            guard options.testHoldoutCount > 0 else {
                throw .invalidArgument(name: "test hold-out count",
                                       reason: "must be positive for \(training.source), which has no official test set")
            }
            let (kept, heldOut) = try training.randomSplitIndices(holdingOut: options.testHoldoutCount,
                                                                  seed: options.seed, stream: "test")
            testSplit = try training.selecting(heldOut, source: "\(training.source), random test hold-out")
            pool = try training.selecting(kept)
            poolIndices = kept
        }
        let (kept, heldOut) = try pool.randomSplitIndices(holdingOut: options.validationCount, seed: options.seed)
        var train = try pool.selecting(kept, source: "\(pool.source), train split")
        var validation = try pool.selecting(heldOut, source: "\(pool.source), validation split")
        if let k = options.trainPerClass { train = try train.firstPerClass(k) }
        if let k = options.validationPerClass { validation = try validation.firstPerClass(k) }
        if let k = options.testPerClass { testSplit = try testSplit.firstPerClass(k) }
        if let size = options.resize {
            train = try train.resized(height: size.height, width: size.width, method: size.method)
            validation = try validation.resized(height: size.height, width: size.width, method: size.method)
            testSplit = try testSplit.resized(height: size.height, width: size.width, method: size.method)
        }
        guard train.shape == testSplit.shape else {
            throw .shapeMismatch(path: testSplit.source, expected: train.shape.description, found: testSplit.shape.description)
        }
        if options.normalize {
            let statistics = ChannelNormalization.fit(train)
            try statistics.apply(to: &train)
            try statistics.apply(to: &validation)
            try statistics.apply(to: &testSplit)
            normalization = statistics
        } else {
            normalization = nil
        }
        self.train = train
        self.validation = validation
        self.test = testSplit
        self.trainIndices = kept.map { poolIndices[$0] }
        self.validationIndices = heldOut.map { poolIndices[$0] }
    }
}
