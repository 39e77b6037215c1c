/// Copies between channel blocks of NCHW tensors: the kernels behind channel concatenation and
/// channel slicing, and their adjoints. Samples split over the threads; a single sample (a
/// HyperNet pass) splits its block instead (the elementwise kernels' `forEachSpan`).

/// Where a block of channels sits in a tensor of `channels` channels.
public struct ChannelBlock: Sendable {
    public var channels: Int
    public var offset: Int
    public init(channels: Int, offset: Int) {
        self.channels = channels
        self.offset = offset
    }
}

/// For each of `batch` samples, y = a + the `count` channels of `src` at `from`, where `a` and
/// `y` hold `count` channels of `plane` values per sample.
public func addChannels(_ a: UnsafePointer<Float>, _ src: UnsafePointer<Float>, from: ChannelBlock, _ y: UnsafeMutablePointer<Float>,
                        count: Int, batch: Int, plane: Int) {
    let length = count &* plane
    Parallelism.forEachItem(batch, length: length) { n in
        let s = src + (n &* from.channels &+ from.offset) &* plane
        add(a + n &* length, s, y + n &* length, count: length)
    }
}

/// For each of `batch` samples, copies (or with `accumulate`, adds) `count` channels of `plane`
/// values from `src` at `from` into `dst` at `to`.
public func copyChannels(_ src: UnsafePointer<Float>, from: ChannelBlock, _ dst: UnsafeMutablePointer<Float>, to: ChannelBlock,
                         count: Int, batch: Int, plane: Int, accumulate: Bool) {
    let length = count &* plane
    Parallelism.forEachItem(batch, length: length) { n in
        let s = src + (n &* from.channels &+ from.offset) &* plane
        let d = dst + (n &* to.channels &+ to.offset) &* plane
        copy(s, into: d, count: length, accumulate: accumulate)
    }
}

