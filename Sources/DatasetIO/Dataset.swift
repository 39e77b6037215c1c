/// The shape of one image: channels x height x width.
public struct ImageShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Colour planes (1 for grey, 3 for RGB).
    public var channels: Int
    /// Rows per plane.
    public var height: Int
    /// Columns per plane.
    public var width: Int

    /// A shape of `channels` planes of `height` x `width` pixels.
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Pixels in one channel plane.
    public var planeSize: Int { height * width }

    /// Floats in one image.
    public var pixelCount: Int { channels * height * width }

    public var description: String { "\(channels)x\(height)x\(width)" }
}

/// Labelled images held as one contiguous N x C x H x W Float32 buffer, with their class names.
///
/// Readers produce pixels scaled to [0, 1]; `ChannelNormalization` and `resized` derive new values.
/// Copies share storage until written (Swift arrays), so a dataset is cheap to pass around. The
/// stored properties are read-only outside this module, so every label stays a valid class index.
public struct Dataset: Sendable {
    /// All images, image-major then channel, row, column.
    public internal(set) var images: [Float]
    /// One label per image, each in `0..<classNames.count`.
    public internal(set) var labels: [Int32]
    /// The shape of every image.
    public internal(set) var shape: ImageShape
    /// Human-readable class names, indexed by label.
    public internal(set) var classNames: [String]
    /// Where the data came from (files, split, subset), for reports and error messages.
    public internal(set) var source: String

    /// A dataset over existing buffers. `images.count` must be `labels.count * shape.pixelCount`,
    /// every label in `0..<classNames.count`.
    public init(images: [Float], labels: [Int32], shape: ImageShape, classNames: [String], source: String)
        throws(DatasetError) {
        guard shape.channels > 0, shape.height > 0, shape.width > 0 else {
            throw .invalidArgument(name: "Dataset shape", reason: "must be positive, not \(shape)")
        }
        guard images.count == labels.count * shape.pixelCount else {
            throw .invalidArgument(name: "Dataset images",
                                   reason: "hold \(images.count) floats, expected \(labels.count) x \(shape.pixelCount)")
        }
        guard classNames.count > 0, labels.allSatisfy({ $0 >= 0 && Int($0) < classNames.count }) else {
            throw .invalidArgument(name: "Dataset labels", reason: "must lie in 0..<\(classNames.count)")
        }
        self.images = images
        self.labels = labels
        self.shape = shape
        self.classNames = classNames
        self.source = source
    }

    /// Builds a dataset from parts that the caller has already validated.
    init(validated images: [Float], labels: [Int32], shape: ImageShape, classNames: [String], source: String) {
        self.images = images
        self.labels = labels
        self.shape = shape
        self.classNames = classNames
        self.source = source
    }

    /// Number of examples.
    public var count: Int { labels.count }

    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// How many examples each class has, indexed by label.
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// The pixels of example `index`.
    public func image(at index: Int) -> ArraySlice<Float> {
        let size = shape.pixelCount
        return images[index * size ..< (index + 1) * size]
    }

    /// The examples at `indices`, in that order. Every index must be in `0..<count`.
    public func selecting(_ indices: [Int], source: String? = nil) throws(DatasetError) -> Dataset {
        guard indices.allSatisfy({ $0 >= 0 && $0 < count }) else {
            throw .invalidArgument(name: "subset indices", reason: "must lie in 0..<\(count)")
        }
        let size = shape.pixelCount
        let picked = [Float](unsafeUninitializedCapacity: indices.count * size) { out, initialized in
            images.withUnsafeBufferPointer { all in
                guard let from = all.baseAddress, let to = out.baseAddress else { return }
                for (row, index) in indices.enumerated() {
                    (to + row &* size).initialize(from: from + index &* size, count: size)
                }
            }
            initialized = indices.count * size
        }
        return Dataset(validated: picked, labels: indices.map { labels[$0] }, shape: shape,
                       classNames: classNames, source: source ?? self.source)
    }

    /// The first `k` examples of each class, in file order: a fixed, seed-free subset for fast runs.
    /// A class with fewer than `k` examples contributes all it has.
    public func firstPerClass(_ k: Int) throws(DatasetError) -> Dataset {
        guard k > 0 else { throw .invalidArgument(name: "examples per class", reason: "must be positive, not \(k)") }
        var taken = [Int](repeating: 0, count: classCount)
        var indices = [Int]()
        for (index, label) in labels.enumerated() where taken[Int(label)] < k {
            taken[Int(label)] += 1
            indices.append(index)
        }
        return try selecting(indices, source: "\(source), first \(k) per class")
    }
}
