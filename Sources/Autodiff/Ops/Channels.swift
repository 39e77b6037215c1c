import Kernels

extension Tensor {
    /// Concatenates NCHW tensors along the channel axis. All must share batch, height and width.
    public static func concatChannels(_ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else {
            throw TensorError.invalidArgument(operation: "concatChannels", message: "needs at least one tensor")
        }
        try first.expectRank(4, "concatChannels")
        for part in parts.dropFirst() {
            try part.expectShape([first.shape[0], part.shape.count == 4 ? part.shape[1] : -1, first.shape[2], first.shape[3]],
                                 "concatChannels with \(first.shape)")
        }
        if parts.count == 1 { return first }
        let (batch, plane) = (first.shape[0], first.shape[2] * first.shape[3])
        let total = parts.reduce(0) { $0 + $1.shape[1] }
        let out = Tensor.result(shape: [batch, total, first.shape[2], first.shape[3]], ofAll: parts)
        var offsets: [Int] = []
        var offset = 0
        for part in parts {
            offsets.append(offset)
            copyChannels(part.data, from: ChannelBlock(channels: part.shape[1], offset: 0),
                         out.data, to: ChannelBlock(channels: total, offset: offset),
                         count: part.shape[1], batch: batch, plane: plane, accumulate: false)
            offset += part.shape[1]
        }
        let targets = zip(parts, offsets).compactMap { part, offset in
            part.gradientIfRequired.map { (gradient: $0, channels: part.shape[1], offset: offset) }
        }
        out.recordBackward { dy in
            for target in targets {
                copyChannels(dy, from: ChannelBlock(channels: total, offset: target.offset),
                             target.gradient.pointer, to: ChannelBlock(channels: target.channels, offset: 0),
                             count: target.channels, batch: batch, plane: plane, accumulate: true)
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
