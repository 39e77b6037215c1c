import Randomness

/// A reusable buffer that `BatchIterator.next(into:)` fills with one batch.
///
/// The arrays keep their capacity between batches, so filling allocates nothing as long as the
/// caller does not hold extra references to them.
public struct Batch: Sendable {
    /// The shape of each image.
    public let shape: ImageShape
    /// The most examples the batch holds.
    public let capacity: Int
    /// `count` images, N x C x H x W.
    public fileprivate(set) var images: [Float]
    /// `count` labels.
    public fileprivate(set) var labels: [Int32]
    /// The dataset index of each example, for tracing and tests.
    public fileprivate(set) var indices: [Int]

    /// An empty batch with room for `capacity` images of `shape`.
    public init(capacity: Int, shape: ImageShape) {
        self.shape = shape
        self.capacity = capacity
        images = []
        images.reserveCapacity(capacity * shape.pixelCount)
        labels = []
        labels.reserveCapacity(capacity)
        indices = []
        indices.reserveCapacity(capacity)
    }

    /// Examples in the batch.
    public var count: Int { labels.count }
}

/// Walks a dataset in batches, in an order reshuffled every epoch from a seed, applying a seeded
/// augmentation. Everything random is a function of (seed, epoch, batch), so saving `position` and
/// restoring it with `seek(to:)` resumes the exact stream.
public struct BatchIterator: Sendable {
    /// Where an iterator stands: the next batch to produce.
    public struct Position: Codable, Sendable, Hashable {
        /// The seed every shuffle and augmentation derives from.
        public var seed: UInt64
        /// The epoch, from 0.
        public var epoch: Int
        /// The next batch within the epoch, from 0.
        public var batch: Int

        /// A position at the given batch of the given epoch.
        public init(seed: UInt64, epoch: Int = 0, batch: Int = 0) {
            self.seed = seed
            self.epoch = epoch
            self.batch = batch
        }
    }

    /// The examples iterated over.
    public let dataset: Dataset
    /// Examples per full batch.
    public let batchSize: Int
    /// Whether each epoch visits examples in a fresh random order (otherwise in dataset order).
    public let shuffle: Bool
    /// Whether a last batch smaller than `batchSize` is skipped.
    public let dropLast: Bool
    /// The augmentation applied to every batch.
    public let augmentation: Augmentation
    /// The next batch to produce.
    public private(set) var position: Position

    private var order: [Int]
    private var orderEpoch: Int?
    private var scratch: [Float]

    /// An iterator at epoch 0, batch 0.
    /// - Throws: `.invalidArgument` for a non-positive batch size or an augmentation that does not
    ///   fit the images.
    public init(dataset: Dataset, batchSize: Int, seed: UInt64, shuffle: Bool = true, dropLast: Bool = false,
                augmentation: Augmentation = .none) throws(DatasetError) {
        guard batchSize > 0 else { throw .invalidArgument(name: "batch size", reason: "must be positive, not \(batchSize)") }
        try augmentation.validate(for: dataset.shape)
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.augmentation = augmentation
        self.position = Position(seed: seed)
        self.order = []
        self.scratch = [Float](repeating: 0, count: dataset.shape.pixelCount)
    }

    /// Batches produced per epoch.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// A batch buffer sized for this iterator.
    public func makeBatch() -> Batch { Batch(capacity: batchSize, shape: dataset.shape) }

    /// Moves to `position`, e.g. one saved from an interrupted run.
    /// - Throws: `.invalidArgument` for a negative epoch or a batch beyond the epoch's end.
    public mutating func seek(to position: Position) throws(DatasetError) {
        guard position.epoch >= 0, position.batch >= 0, position.batch <= batchesPerEpoch else {
            throw .invalidArgument(name: "iterator position",
                                   reason: "must have epoch >= 0 and batch in 0...\(batchesPerEpoch), got \(position)")
        }
        if position.seed != self.position.seed { orderEpoch = nil }
        self.position = position
    }

    /// Fills `batch` with the next batch of the current epoch and returns `true`; at the end of the
    /// epoch returns `false`, leaves `batch` empty and moves to the next epoch. A buffer that does
    /// not fit this iterator is replaced by `makeBatch()`.
    public mutating func next(into batch: inout Batch) -> Bool {
        if batch.capacity < batchSize || batch.shape != dataset.shape { batch = makeBatch() }
        let start = position.batch * batchSize
        let size = min(batchSize, dataset.count - start)
        guard size > 0, !(dropLast && size < batchSize) else {
            batch.images.removeAll(keepingCapacity: true)
            batch.labels.removeAll(keepingCapacity: true)
            batch.indices.removeAll(keepingCapacity: true)
            position = Position(seed: position.seed, epoch: position.epoch + 1, batch: 0)
            return false
        }
        prepareOrder()
        batch.indices.removeAll(keepingCapacity: true)
        batch.indices.append(contentsOf: order[start ..< start + size])
        batch.labels.removeAll(keepingCapacity: true)
        for index in batch.indices { batch.labels.append(dataset.labels[index]) }
        let pixels = dataset.shape.pixelCount
        let floats = size * pixels
        if batch.images.count > floats {
            batch.images.removeLast(batch.images.count - floats)
        } else if batch.images.count < floats {
            batch.images.append(contentsOf: repeatElement(0, count: floats - batch.images.count))
        }
        var generator = SeededGenerator(seed: position.seed).derived("augment \(position.epoch) \(position.batch)")
        let shape = dataset.shape
        let augmentation = augmentation
        batch.images.withUnsafeMutableBufferPointer { target in
            dataset.images.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { room in
                    guard let to = target.baseAddress, let from = source.baseAddress, let spare = room.baseAddress else { return }
                    for (row, index) in batch.indices.enumerated() {
                        (to + row &* pixels).update(from: from + index &* pixels, count: pixels)
                    }
                    augmentation.apply(to: to, count: size, shape: shape, generator: &generator, scratch: spare)
                }
            }
        }
        position.batch += 1
        return true
    }

    /// Computes the visiting order of the current epoch, once per epoch.
    private mutating func prepareOrder() {
        guard orderEpoch != position.epoch else { return }
        if shuffle {
            var generator = SeededGenerator(seed: position.seed).derived("epoch \(position.epoch)")
            order = generator.permutation(dataset.count)
        } else {
            order = Array(0..<dataset.count)
        }
        orderEpoch = position.epoch
    }
}
