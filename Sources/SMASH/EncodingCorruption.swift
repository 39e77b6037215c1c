import Autodiff
import Randomness

/// A way to give the HyperNet the wrong description of an architecture (paper Sec. 4.2): the main
/// network runs the true architecture, but its 1x1 weights are generated from a corrupted c.
public enum EncodingCorruption: String, Codable, Sendable, CaseIterable {
    /// The dilations of all active convolutions, permuted at random across the network.
    case shuffledDilations
    /// Each op's read banks replaced by as many banks drawn at random from its block's banks.
    case shuffledReads
    /// Each op's write banks replaced by as many banks drawn at random from its block's banks.
    case randomWrites
    /// The encoding of another random architecture, cropped or padded (with −1) to this one's width.
    case otherArchitecture
}

/// Builds corrupted encodings for an architecture. The corrupted c always has the shape of the
/// architecture's own encoding, so the generated weights are sliced exactly as they would be.
public struct EncodingCorrupter: Sendable {
    /// Encodes the (corrupted) fields.
    public let encoder: ArchitectureEncoder
    /// Draws the "other" architectures.
    public let sampler: ArchitectureSampler

    /// A corrupter for architectures of `space`.
    public init(space: SearchSpace) throws(SMASHError) {
        sampler = try ArchitectureSampler(space: space)
        encoder = ArchitectureEncoder(skeleton: space.skeleton)
    }

    /// The encoding of `architecture` with `corruption` applied, drawn from `generator`.
    public func encoding(of architecture: Architecture, corruption: EncodingCorruption,
                         using generator: inout SeededGenerator) throws -> Tensor {
        let geometry = architecture.geometry
        var ops = architecture.encodedOps
        switch corruption {
        case .shuffledDilations:
            var dilations = ops.flatMap { $0.convs.compactMap { $0?.dilation } }
            generator.shuffle(&dilations)
            var next = 0
            for op in ops.indices {
                for conv in ops[op].convs.indices where ops[op].convs[conv] != nil {
                    ops[op].convs[conv]?.dilation = dilations[next]
                    next += 1
                }
            }
        case .shuffledReads:
            for op in ops.indices {
                ops[op].reads = randomBanks(ops[op].reads.count, of: architecture.bankCount(block: ops[op].block), using: &generator)
            }
        case .randomWrites:
            for op in ops.indices {
                ops[op].writes = randomBanks(ops[op].writes.count, of: architecture.bankCount(block: ops[op].block), using: &generator)
            }
        case .otherArchitecture:
            let other = sampler.sample(using: &generator)
            return try fitted(encoder.encode(other), width: architecture.encodingWidth)
        }
        return try encoder.encode(ops, geometry: geometry)
    }

    /// `count` distinct banks out of `banks`, ascending.
    private func randomBanks(_ count: Int, of banks: Int, using generator: inout SeededGenerator) -> [Int] {
        Array(generator.permutation(banks).prefix(count)).sorted()
    }

    /// `encoding` cropped or padded with −1 along its width to `width` columns.
    private func fitted(_ encoding: Tensor, width: Int) throws -> Tensor {
        let (channels, rows, source) = (encoding.shape[1], encoding.shape[2], encoding.shape[3])
        var values = [Float](repeating: -1, count: channels * rows * width)
        for plane in 0 ..< channels * rows {
            for column in 0 ..< min(width, source) { values[plane * width + column] = encoding.data[plane * source + column] }
        }
        return try Tensor(shape: [1, channels, rows, width], values: values)
    }
}
