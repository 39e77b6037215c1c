import Kernels

extension Tensor {
    /// Concatenates NCHW tensors along the channel axis. All must share batch, height and width.
    public static func concatChannels(_ parts: [Tensor]) throws -> Tensor {
        let concatenation = try ChannelConcatenation(parts, operation: "concatChannels")
        if parts.count == 1 { return parts[0] }
        let out = Tensor.result(shape: concatenation.shape, ofAll: parts)
        concatenation.join(into: out.data)
        let targets = concatenation.gradientTargets
        out.recordBackward { dy in targets.accumulate(dy) }
        return out
    }

    /// This NCHW tensor plus the channels `range` of `source` (which shares its batch, height and
    /// width), without copying those channels out first: a SMASH op adds each bank-sized part of
    /// its output to a memory bank.
    public func adding(channels range: Range<Int>, of source: Tensor) throws -> Tensor {
        try expectRank(4, "adding(channels:of:)")
        try source.expectRank(4, "adding(channels:of:)")
        guard range.lowerBound >= 0, range.upperBound <= source.shape[1],
              shape == [source.shape[0], range.count, source.shape[2], source.shape[3]] else {
            throw TensorError.invalidArgument(operation: "adding(channels:of:)",
                                              message: "channels \(range) of \(source.shape) do not fit a tensor of shape \(shape)")
        }
        let (batch, channels, plane) = (shape[0], source.shape[1], shape[2] * shape[3])
        let block = ChannelBlock(channels: channels, offset: range.lowerBound)
        let out = Tensor.result(shape: shape, of: self, source)
        addChannels(data, source.data, from: block, out.data, count: range.count, batch: batch, plane: plane)
        let (dself, dsource) = (gradientIfRequired, source.gradientIfRequired)
        out.recordBackward { dy in
            dself?.add(dy)
            if let dsource {
                copyChannels(dy, from: ChannelBlock(channels: range.count, offset: 0), dsource.pointer, to: block,
                             count: range.count, batch: batch, plane: plane, accumulate: true)
            }
        }
        return out
    }

    /// The channels `range` of an NCHW tensor.
    public func sliceChannels(_ range: Range<Int>) throws -> Tensor {
        try expectRank(4, "sliceChannels")
        guard range.lowerBound >= 0, range.upperBound <= shape[1], !range.isEmpty else {
            throw TensorError.invalidArgument(operation: "sliceChannels", message: "channels \(range) are not inside 0..<\(shape[1]) of \(shape)")
        }
        if range.count == shape[1] { return self }
        let (batch, channels, plane) = (shape[0], shape[1], shape[2] * shape[3])
        let out = Tensor.result(shape: [batch, range.count, shape[2], shape[3]], of: self)
        copyChannels(data, from: ChannelBlock(channels: channels, offset: range.lowerBound),
                     out.data, to: ChannelBlock(channels: range.count, offset: 0),
                     count: range.count, batch: batch, plane: plane, accumulate: false)
        out.recordBackward(from: self) { dy, dx in
            copyChannels(dy, from: ChannelBlock(channels: range.count, offset: 0),
                         dx, to: ChannelBlock(channels: channels, offset: range.lowerBound),
                         count: range.count, batch: batch, plane: plane, accumulate: true)
        }
        return out
    }
}

/// NCHW tensors that share batch, height and width, seen as one tensor along the channel axis.
struct ChannelConcatenation {
    let parts: [Tensor]
    /// The shape of the concatenation.
    let shape: [Int]
    /// Where each part's channels start in the concatenation.
    let offsets: [Int]

    /// - Throws: `TensorError` when there are no parts, one is not rank 4, or they differ in
    ///   batch, height or width.
    init(_ parts: [Tensor], operation: String) throws {
        guard let first = parts.first else {
            throw TensorError.invalidArgument(operation: operation, message: "needs at least one tensor")
        }
        try first.expectRank(4, operation)
        for part in parts.dropFirst() {
            try part.expectShape([first.shape[0], part.shape.count == 4 ? part.shape[1] : -1, first.shape[2], first.shape[3]],
                                 "\(operation) with \(first.shape)")
        }
        self.parts = parts
        var offsets: [Int] = [], total = 0
        for part in parts {
            offsets.append(total)
            total += part.shape[1]
        }
        self.offsets = offsets
        shape = [first.shape[0], total, first.shape[2], first.shape[3]]
    }

    var plane: Int { shape[2] * shape[3] }

    /// Writes the concatenation into `out` (shape `shape`).
    func join(into out: UnsafeMutablePointer<Float>) {
        rows.join(samples: shape[0], into: out)
    }

    /// Where each of the concatenation's channels lies in the parts, for kernels that read it
    /// without joining it.
    var rows: ChannelRows {
        ChannelRows(concatenating: parts.map { (UnsafePointer($0.data), $0.shape[1]) }, plane: plane)
    }

    /// Runs `body` with the concatenation: a single part's own values, else the parts joined
    /// into a scratch buffer.
    func withJoined<R>(_ body: (UnsafePointer<Float>) -> R) -> R {
        rows.withJoined(samples: shape[0], body)
    }

    /// The gradients of the parts that require one, where each sits in the concatenation's
    /// gradient; holding them keeps no part's values alive.
    var gradientTargets: ChannelGradientTargets {
        ChannelGradientTargets(
            targets: zip(parts, offsets).compactMap { part, offset in
                part.gradientIfRequired.map { ($0, ChannelBlock(channels: part.shape[1], offset: offset)) }
            },
            channels: shape[1], batch: shape[0], plane: plane)
    }
}

/// The parts' gradients of a channel concatenation, filled from the concatenation's gradient.
struct ChannelGradientTargets {
    /// Each part's gradient and where the part's channels sit in the concatenation.
    let targets: [(gradient: Gradient, block: ChannelBlock)]
    let channels: Int
    let batch: Int
    let plane: Int

    var isEmpty: Bool { targets.isEmpty }

    /// Runs `body(buffer, fresh)` to produce the concatenation's gradient (`count` floats) and
    /// adds it to the parts' gradients: a single part that is the whole concatenation gets its
    /// own gradient buffer (`Gradient.contribute`), else `body` writes a scratch buffer (`fresh`)
    /// that is then split.
    func contribute(count: Int, _ body: (UnsafeMutablePointer<Float>, Bool) -> Void) {
        if targets.count == 1, targets[0].block.channels == channels {
            return targets[0].gradient.contribute(body)
        }
        withScratch(count) { dy in
            body(dy, true)
            accumulate(dy)
        }
    }

    /// Adds each part's channels of the concatenation's gradient `dy` to the part's gradient.
    func accumulate(_ dy: UnsafePointer<Float>) {
        for (gradient, block) in targets {
            gradient.contribute { buffer, fresh in
                copyChannels(dy, from: ChannelBlock(channels: channels, offset: block.offset),
                             buffer, to: ChannelBlock(channels: block.channels, offset: 0),
                             count: block.channels, batch: batch, plane: plane, accumulate: !fresh)
            }
        }
    }
}
