import Autodiff

/// Builds the encoding tensor c from an architecture, and reads the fields back.
///
/// Background entries are −1 ("off") and set entries +1, as in the authors' code. An op fills its
/// encoding columns (in network order, block by block) in the rows whose generated output units
/// its 1x1 convolution uses; every other entry stays −1. In an op's columns the read field marks,
/// per column, the bank(s) whose channels that column holds (with odd bank sizes a column can
/// hold parts of two banks); the write field marks every bank the op writes; the block, G, and
/// per-convolution dilation, kernel and group fields are one-hot; for v2 inactive convolutions
/// leave their fields at −1 and the active field marks the active ones.
///
/// Two encoding bugs of the authors' code are deliberately not reproduced: there the active field
/// is written with −1 for active convolutions, the same value as the background, so it carries
/// nothing; and the group one-hot is written one channel too early, so one group value overwrites
/// the previous field's last channel and the last group channel is never set. Here the active
/// field holds +1 for active convolutions and the group one-hot sits at the group's index.
public struct ArchitectureEncoder: Sendable {
    /// The channel layout of the encodings this encoder makes.
    public let layout: EncodingLayout

    /// An encoder for architectures of `skeleton`.
    public init(skeleton: Skeleton) {
        layout = EncodingLayout(skeleton: skeleton)
    }

    /// The encoding of a valid architecture, shape [1, channels, rows, width].
    public func encode(_ architecture: Architecture, requiresGrad: Bool = false) throws -> Tensor {
        try encode(architecture.encodedOps, geometry: architecture.geometry, requiresGrad: requiresGrad)
    }

    /// The encoding of `ops` laid out by `geometry` (one per op, same order). The fields need not
    /// describe a valid architecture, which is how corrupted encodings are made, but every index
    /// must fall inside its field.
    /// - Throws: `SMASHError.invalidEncoding` for a count mismatch or an index outside its field.
    public func encode(_ ops: [EncodedOp], geometry: [OpGeometry], requiresGrad: Bool = false) throws -> Tensor {
        guard ops.count == geometry.count else {
            throw SMASHError.invalidEncoding(message: "\(ops.count) ops but \(geometry.count) op geometries")
        }
        let (rows, width) = (layout.rows, geometry.last?.columns.upperBound ?? 0)
        var values = [Float](repeating: -1, count: layout.channels * rows * width)
        for (op, place) in zip(ops, geometry) {
            let rowRange = 0 ..< min(place.rows, rows)
            func set(_ field: EncodingField, _ index: Int, columns: Range<Int>) throws {
                guard let range = layout.ranges[field] else { return }
                guard index >= 0, index < range.count else {
                    throw SMASHError.invalidEncoding(message: "value index \(index) is outside field \(field) of \(range.count) channels")
                }
                let channel = range.lowerBound + index
                for row in rowRange {
                    for column in columns { values[(channel * rows + row) * width + column] = 1 }
                }
            }
            let all = place.columns, depth = layout.skeleton.depthCompression
            for (t, bank) in op.reads.enumerated() {
                let first = all.lowerBound + t * op.bankSize / depth
                let end = all.lowerBound + ((t + 1) * op.bankSize + depth - 1) / depth
                try set(.read, bank, columns: first ..< min(end, all.upperBound))
            }
            for bank in op.writes { try set(.write, bank, columns: all) }
            try set(.block, op.block, columns: all)
            try set(.width, op.width - 1, columns: all)
            for (index, conv) in op.convs.enumerated() {
                guard let conv else { continue }
                try set(.active, index, columns: all)
                try set(.dilation(conv: index, axis: "y"), conv.dilation.y - 1, columns: all)
                try set(.dilation(conv: index, axis: "x"), conv.dilation.x - 1, columns: all)
                try set(.kernel(conv: index, axis: "y"), try indexOf(conv.kernel.y, in: layout.skeleton.kernelSizes), columns: all)
                try set(.kernel(conv: index, axis: "x"), try indexOf(conv.kernel.x, in: layout.skeleton.kernelSizes), columns: all)
                try set(.groups(conv: index), try indexOf(conv.groups, in: layout.skeleton.groupChoices), columns: all)
            }
        }
        return try Tensor(shape: [1, layout.channels, rows, width], values: values, requiresGrad: requiresGrad)
    }

    /// The fields `encoding` carries for each op of `geometry`, read from each op's first row.
    /// - Throws: `SMASHError.invalidEncoding` when the tensor's shape does not fit the layout or a
    ///   one-hot field of an op has no set channel.
    public func decode(_ encoding: Tensor, geometry: [OpGeometry]) throws -> [EncodedOp] {
        let (rows, width) = (layout.rows, geometry.last?.columns.upperBound ?? 0)
        guard encoding.shape == [1, layout.channels, rows, width] else {
            throw SMASHError.invalidEncoding(message: "shape \(encoding.shape) does not fit the layout [1, \(layout.channels), \(rows), \(width)]")
        }
        let data = encoding.data
        func marked(_ field: EncodingField, column: Int) -> [Int] {
            guard let range = layout.ranges[field] else { return [] }
            return (0 ..< range.count).filter { data[(($0 + range.lowerBound) * rows) * width + column] > 0 }
        }
        func oneHot(_ field: EncodingField, column: Int, absent: Int) throws -> Int {
            guard layout.ranges[field] != nil else { return absent }
            guard let index = marked(field, column: column).first else {
                throw SMASHError.invalidEncoding(message: "field \(field) has no set channel at column \(column)")
            }
            return index
        }
        return try geometry.map { place in
            let column = place.columns.lowerBound
            let reads = Set(place.columns.flatMap { marked(.read, column: $0) }).sorted()
            let convs = try (0..<layout.skeleton.convCount).map { index -> ConvSpec? in
                if layout.skeleton.structure == .array, !marked(.active, column: column).contains(index) { return nil }
                let kernels = layout.skeleton.kernelSizes, groups = layout.skeleton.groupChoices
                return ConvSpec(
                    kernel: Pair(kernels[try oneHot(.kernel(conv: index, axis: "y"), column: column, absent: 0)],
                                 kernels[try oneHot(.kernel(conv: index, axis: "x"), column: column, absent: 0)]),
                    dilation: Pair(try oneHot(.dilation(conv: index, axis: "y"), column: column, absent: 0) + 1,
                                   try oneHot(.dilation(conv: index, axis: "x"), column: column, absent: 0) + 1),
                    groups: groups[try oneHot(.groups(conv: index), column: column, absent: 0)])
            }
            return EncodedOp(block: try oneHot(.block, column: column, absent: 0),
                             bankSize: reads.isEmpty ? 0 : place.columns.count * layout.skeleton.depthCompression / reads.count,
                             reads: reads, writes: marked(.write, column: column),
                             width: try oneHot(.width, column: column, absent: 0) + 1, convs: convs)
        }
    }

    private func indexOf(_ value: Int, in choices: [Int]) throws -> Int {
        guard let index = choices.firstIndex(of: value) else {
            throw SMASHError.invalidEncoding(message: "value \(value) is not one of \(choices)")
        }
        return index
    }
}
