/// One group of channels of the encoding tensor c.
public enum EncodingField: Hashable, Sendable, CustomStringConvertible {
    /// One channel per bank: the banks whose channels this column of the 1x1 input holds.
    case read
    /// One channel per bank: every bank the op writes.
    case write
    /// One-hot block index.
    case block
    /// One-hot G (the op's width in units) at G − 1.
    case width
    /// v2: which of the four convolutions are active.
    case active
    /// One-hot dilation (at d − 1) of convolution `conv` along an axis ("y" or "x").
    case dilation(conv: Int, axis: String)
    /// One-hot kernel size (index into the allowed sizes) of convolution `conv` along an axis.
    case kernel(conv: Int, axis: String)
    /// One-hot group count (index into the allowed counts) of convolution `conv`.
    case groups(conv: Int)

    public var description: String {
        switch self {
        case .read: "read"
        case .write: "write"
        case .block: "block"
        case .width: "width"
        case .active: "active"
        case .dilation(let conv, let axis): "conv\(conv).dilation.\(axis)"
        case .kernel(let conv, let axis): "conv\(conv).kernel.\(axis)"
        case .groups(let conv): "conv\(conv).groups"
        }
    }
}

/// The channel layout of the encoding tensor c for a skeleton (paper App. B, REFERENCE-NOTES §4):
/// read and write bank fields (one channel per bank), block one-hot, G one-hot, then per
/// convolution its dilation, kernel-size and group one-hots, and for v2 the active-convolution
/// field. A field whose value cannot vary in the skeleton (one kernel size, one group count, no
/// dilation) is left out. The layout is fixed for the skeleton, also while kernel sizes anneal.
///
/// c has shape [1, channels, rows, width]: rows = Nmax/N groups of the 1x1 convolutions' output
/// units, width = encoding columns of D·N input channels each.
public struct EncodingLayout: Sendable, Hashable {
    /// The skeleton the layout is for.
    public let skeleton: Skeleton
    /// The fields in channel order.
    public let fields: [EncodingField]
    /// Each field's channels.
    public let ranges: [EncodingField: Range<Int>]
    /// Channels of c.
    public let channels: Int

    /// The layout of `skeleton`'s encodings.
    public init(skeleton: Skeleton) {
        self.skeleton = skeleton
        var sizes: [(EncodingField, Int)] = [
            (.read, skeleton.maxBanks), (.write, skeleton.maxBanks), (.block, skeleton.blockCount), (.width, skeleton.maxUnits),
        ]
        if skeleton.structure == .array { sizes.append((.active, 4)) }
        for conv in 0..<skeleton.convCount {
            for axis in ["y", "x"] where skeleton.maxDilation > 1 {
                sizes.append((.dilation(conv: conv, axis: axis), skeleton.maxDilation))
            }
            for axis in ["y", "x"] where skeleton.kernelSizes.count > 1 {
                sizes.append((.kernel(conv: conv, axis: axis), skeleton.kernelSizes.count))
            }
            if skeleton.groupChoices.count > 1 { sizes.append((.groups(conv: conv), skeleton.groupChoices.count)) }
        }
        var ranges: [EncodingField: Range<Int>] = [:]
        var offset = 0
        for (field, size) in sizes {
            ranges[field] = offset ..< offset + size
            offset += size
        }
        self.fields = sizes.map(\.0)
        self.ranges = ranges
        self.channels = offset
    }

    /// Rows of c: Nmax / N.
    public var rows: Int { skeleton.maxUnits }
}

/// The fields of one op that the encoding carries: everything but the op's place in the weight
/// layout, which the op's geometry gives.
public struct EncodedOp: Sendable, Hashable {
    /// The op's block.
    public var block: Int
    /// Channels per bank, in units of N (implied by the op's columns and read count).
    public var bankSize: Int
    /// Banks read, ascending.
    public var reads: [Int]
    /// Banks written, ascending and distinct (the encoding does not carry their order).
    public var writes: [Int]
    /// G, in units of N.
    public var width: Int
    /// The convolutions; `nil` where inactive.
    public var convs: [ConvSpec?]

    public init(block: Int, bankSize: Int, reads: [Int], writes: [Int], width: Int, convs: [ConvSpec?]) {
        self.block = block
        self.bankSize = bankSize
        self.reads = reads
        self.writes = writes
        self.width = width
        self.convs = convs
    }
}

extension Architecture {
    /// Every op's encoded fields, in network order (the same order as `geometry`).
    public var encodedOps: [EncodedOp] {
        blocks.enumerated().flatMap { index, block in
            block.ops.map { op in
                EncodedOp(block: index, bankSize: block.bankSize, reads: op.reads, writes: Array(Set(op.writes)).sorted(),
                          width: op.width, convs: op.convs)
            }
        }
    }
}
