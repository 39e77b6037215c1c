/// Which convolutions follow an op's generated 1x1 convolution.
public enum OpStructure: String, Codable, Sendable, Hashable {
    /// SMASHv1: one KxK convolution.
    case single
    /// SMASHv2: the 2x2 array of convolutions (two parallel paths of up to two convolutions).
    case array
}

/// How wide an op's 1x1 convolution is, given its input and output channels.
public enum BottleneckKind: String, Codable, Sendable, Hashable {
    /// The paper's SMASHv1 rule: always `ratio` times the op's output channels.
    case fixed
    /// The paper's SMASHv2 rule: the input channels, capped at `ratio` times the output channels.
    case capped
    /// The authors' code: `clamp(⌊in/out⌋, 1, ratio)·out`, at most `in` and `maxBottleneckChannels`.
    /// (Their HyperNet generates only Nmax output rows, which silently clips the SMASH network's
    /// 1x1 at Nmax while their resulting network uses the nominal width; here the generated matrix
    /// covers the nominal width, so both networks agree.)
    case reference
}

/// The structural part of a search space: everything needed to check, encode, build and run an
/// architecture, and nothing about how architectures are sampled. Every architecture carries its
/// skeleton, so an architecture file is self-contained.
///
/// Channel counts are plain channels; `unit` (N) is the bank unit, and widths, bank sizes and
/// `G` are counted in units of N.
public struct Skeleton: Codable, Sendable, Hashable {
    /// One convolution per op (v1) or the 2x2 array (v2).
    public var structure: OpStructure
    /// N: channels per unit; bank sizes and op widths are multiples of it.
    public var unit: Int
    /// Nmax: the largest op output, in channels (a multiple of `unit`).
    public var maxWidth: Int
    /// D: how many units of 1x1 input channels one column of the encoding covers.
    public var depthCompression: Int
    /// The rule for the 1x1 convolution's output width.
    public var bottleneck: BottleneckKind
    /// The bottleneck ratio: exact for `fixed`, a cap for `capped` and `reference`.
    public var bottleneckRatio: Int
    /// The `reference` rule's absolute cap on 1x1 outputs, in channels (ignored otherwise).
    public var maxBottleneckChannels: Int?
    /// Allowed bank sizes, in units of N.
    public var bankSizes: [Int]
    /// Allowed kernel extents, per axis (odd).
    public var kernelSizes: [Int]
    /// The largest dilation per axis.
    public var maxDilation: Int
    /// The largest dilated kernel extent `d·(k − 1) + 1` per axis.
    public var maxKernelExtent: Int
    /// Allowed group counts of the KxK convolutions (factors of N).
    public var groupChoices: [Int]
    /// The stem convolution's kernel size.
    public var stemKernel: Int
    /// Channels entering each block; the first is the stem's output, the others the transitions'.
    public var blockInputChannels: [Int]
    /// The most channels a block's memory may hold (bank count times bank size).
    public var blockMaxChannels: [Int]

    /// The number of blocks.
    public var blockCount: Int { blockInputChannels.count }
    /// k = Nmax / N: the largest op width in units, and the encoding's height.
    public var maxUnits: Int { maxWidth / max(unit, 1) }
    /// Convolutions per op: 1 for v1, 4 for v2.
    public var convCount: Int { structure == .single ? 1 : 4 }
    /// Channels in one encoding column: D·N.
    public var columnChannels: Int { depthCompression * unit }
    /// The most banks any block can hold: its channel cap over the smallest bank.
    public var maxBanks: Int {
        let smallest = max(bankSizes.min() ?? 1, 1) * max(unit, 1)
        return blockMaxChannels.map { $0 / smallest }.max() ?? 0
    }

    /// The 1x1 output width of an op with `inputs` input and `outputs` output channels.
    public func bottleneckWidth(inputs: Int, outputs: Int) -> Int {
        switch bottleneck {
        case .fixed: return bottleneckRatio * outputs
        case .capped: return min(inputs, bottleneckRatio * outputs)
        case .reference:
            let ratio = min(max(inputs / max(outputs, 1), 1), bottleneckRatio)
            return min(ratio * outputs, inputs, maxBottleneckChannels ?? Int.max)
        }
    }

    /// The widest 1x1 output any op can have: the rows of the generated weight matrix.
    public var maxBottleneckWidth: Int {
        let cap = bottleneckRatio * maxWidth
        return bottleneck == .reference ? min(cap, maxBottleneckChannels ?? cap) : cap
    }

    /// Output units of the 1x1 weights generated at one row of the HyperNet's output grid.
    public var outputsPerRow: Int { (maxBottleneckWidth + maxUnits - 1) / max(maxUnits, 1) }

    /// Banks that a block's input fills when banks hold `bankSize` units (leftover channels are
    /// dropped, as in the authors' code).
    /// Zero for a block the skeleton does not have.
    public func inputBanks(block: Int, bankSize: Int) -> Int {
        guard blockInputChannels.indices.contains(block) else { return 0 }
        return blockInputChannels[block] / max(bankSize * unit, 1)
    }

    /// The most banks a block may hold with banks of `bankSize` units (never fewer than its input
    /// fills; zero for a block the skeleton does not have).
    public func bankCap(block: Int, bankSize: Int) -> Int {
        guard blockMaxChannels.indices.contains(block) else { return 0 }
        return max(inputBanks(block: block, bankSize: bankSize), blockMaxChannels[block] / max(bankSize * unit, 1))
    }

    /// The smallest read count (and the step between read counts) that fills whole encoding
    /// columns: D / gcd(bank size, D).
    public func readStep(bankSize: Int) -> Int {
        depthCompression / greatestCommonDivisor(bankSize, depthCompression)
    }

    /// Bank sizes usable in `block`: those whose input fills at least one read step of banks and
    /// that leave room for an op width (bank size ≤ k).
    public func usableBankSizes(block: Int) -> [Int] {
        bankSizes.filter { $0 <= maxUnits && inputBanks(block: block, bankSize: $0) >= readStep(bankSize: $0) }
    }

    /// Dilations allowed with kernel extent `kernel` on one axis.
    public func dilations(kernel: Int) -> [Int] {
        guard kernel > 1 else { return [1] }
        return (1...max(maxDilation, 1)).filter { $0 * (kernel - 1) + 1 <= maxKernelExtent }
    }
}

/// The greatest common divisor of two positive integers.
func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (abs(a), abs(b))
    while y != 0 { (x, y) = (y, x % y) }
    return max(x, 1)
}
