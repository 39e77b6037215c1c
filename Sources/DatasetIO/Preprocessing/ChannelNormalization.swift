/// Per-channel mean and standard deviation: fitted on a training split, then applied to every split
/// of the same data as `(x - mean) / std`.
public struct ChannelNormalization: Codable, Sendable, Hashable {
    /// Mean of each channel.
    public var mean: [Float]
    /// Population standard deviation of each channel; a constant channel stores 1, so it is only centred.
    public var std: [Float]

    /// A normalisation with known statistics, one value per channel.
    public init(mean: [Float], std: [Float]) throws(DatasetError) {
        guard mean.count == std.count, !mean.isEmpty else {
            throw .invalidArgument(name: "normalisation statistics",
                                   reason: "need one mean and one std per channel, got \(mean.count) and \(std.count)")
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidArgument(name: "normalisation std", reason: "must be positive and finite, got \(std)")
        }
        self.mean = mean
        self.std = std
    }

    /// The statistics of `dataset`, accumulated in Double (two passes: mean, then variance).
    public static func fit(_ dataset: Dataset) -> ChannelNormalization {
        let shape = dataset.shape
        let plane = shape.planeSize
        let samples = Double(max(dataset.count * plane, 1))
        var sums = [Double](repeating: 0, count: shape.channels)
        var squares = [Double](repeating: 0, count: shape.channels)
        dataset.images.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for n in 0..<dataset.count {
                for c in 0..<shape.channels {
                    sums[c] += Double(planeSum(base + (n &* shape.channels &+ c) &* plane, count: plane, centre: 0))
                }
            }
            for n in 0..<dataset.count {
                for c in 0..<shape.channels {
                    let centre = Float(sums[c] / samples)
                    squares[c] += Double(planeSum(base + (n &* shape.channels &+ c) &* plane, count: plane,
                                                  centre: centre, squared: true))
                }
            }
        }
        let mean = sums.map { Float($0 / samples) }
        let std = squares.map { (square: Double) -> Float in
            let deviation = Float((square / samples).squareRoot())
            return deviation > 0 && deviation.isFinite ? deviation : 1
        }
        return ChannelNormalization(checked: mean, std: std)
    }

    private init(checked mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Normalises every image of `dataset` in place.
    /// - Throws: `.invalidArgument` when the dataset has another number of channels.
    public func apply(to dataset: inout Dataset) throws(DatasetError) {
        let shape = dataset.shape
        guard shape.channels == mean.count else {
            throw .invalidArgument(name: "normalisation", reason: "has \(mean.count) channels, the images have \(shape.channels)")
        }
        let count = dataset.count
        dataset.images.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for n in 0..<count {
                for c in 0..<shape.channels {
                    let plane = base + (n &* shape.channels &+ c) &* shape.planeSize
                    let centre = mean[c]
                    let scale = 1 / std[c]
                    for i in 0..<shape.planeSize { plane[i] = (plane[i] - centre) * scale }
                }
            }
        }
        dataset.source += ", normalised"
    }

    /// A normalised copy of `dataset`.
    public func applied(to dataset: Dataset) throws(DatasetError) -> Dataset {
        var copy = dataset
        try apply(to: &copy)
        return copy
    }
}

/// Sum of `x` (or of `(x - centre)^2` when `squared`) over one plane, in Float: planes are small.
private func planeSum(_ x: UnsafePointer<Float>, count: Int, centre: Float, squared: Bool = false) -> Float {
    var total: Float = 0
    if squared {
        for i in 0..<count { let d = x[i] - centre; total += d * d }
    } else {
        for i in 0..<count { total += x[i] }
    }
    return total
}
