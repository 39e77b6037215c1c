/// Direct convolution for stride-1 spatial convolutions: no im2col, which copies every input
/// value kh·kw times and, for the grouped 3x3–7x7 convolutions of SMASH's op array, feeds
/// products only a handful of rows tall.
///
/// Each sample's group channels are copied once into a zero-padded plane (`DirectConvPlan`), so
/// every tap reads a plain shifted window. The forward pass holds a tile of three output vectors
/// (`WideVector`: 8 pixels, 16 where the target has 512-bit registers) by `DirectTile.channels`
/// output channels (4, or 8 with 512-bit vectors) in registers; the weight gradient holds three
/// taps by as many output channels, each a vector of sums over as many pixels. The input gradient
/// of a stride-1 convolution is itself a forward convolution (`TransposedConvolution`).

/// How a direct convolution lays out its padded input planes and packed weights.
struct DirectConvPlan: Sendable {
    /// Floats per vector: output pixels, in the forward pass and the weight gradient.
    static let lanes = WideVector.scalarCount
    /// Floats of padded input (and row-padded output gradient) one weight-gradient run may fill.
    static let targetRunFloats = 64 * 1024
    /// The most output channels per group for which the direct kernels beat im2col and
    /// OpenBLAS, whatever the input channels (measured, batch 50: 8 per group 3x faster, 32 at
    /// 28x28 1.15x; a WRN-16-2 step with its 64- and 128-channel layers direct too was 3-10%
    /// slower; the HyperNet's 10-channel layers with up to ~100 inputs 7% faster, and the stem's
    /// 64→1 input gradient 2x). The weight gradient: 32 per group at 28x28 with a 7x3 kernel
    /// 20% faster on one thread; the HyperNet's forward and backward 10-20% faster with its
    /// weight gradients direct too.
    static let channelLimit = 32

    let geometry: ConvGeometry
    /// Rows and row stride of a padded input plane: every tap of every output vector reads inside it.
    let paddedHeight: Int
    let paddedWidth: Int
    /// Output vectors per output row.
    let vectorsPerRow: Int
    /// The output's width and plane, kept: the tiles' addressing reads them for every vector.
    let outWidth: Int
    let outputPlane: Int

    /// Nil unless the direct forward pass handles `geometry` and beats im2col on it: stride 1, a
    /// spatial kernel and at most `channelLimit` output channels per group.
    init?(_ geometry: ConvGeometry) {
        let g = geometry
        guard g.strideY == 1, g.strideX == 1, g.kernelHeight * g.kernelWidth > 1,
              g.groupOutChannels <= DirectConvPlan.channelLimit else { return nil }
        self.geometry = g
        (outWidth, outputPlane) = (g.outWidth, g.outHeight * g.outWidth)
        vectorsPerRow = (g.outWidth + DirectConvPlan.lanes - 1) / DirectConvPlan.lanes
        paddedHeight = g.outHeight + g.dilationY * (g.kernelHeight - 1)
        paddedWidth = vectorsPerRow * DirectConvPlan.lanes + g.dilationX * (g.kernelWidth - 1)
    }

    var paddedPlane: Int { paddedHeight * paddedWidth }
    /// A group's output channels in blocks of `size` handled together.
    func channelBlocks(of size: Int) -> [Range<Int>] {
        let count = geometry.groupOutChannels
        return stride(from: 0, to: count, by: size).map { $0 ..< min($0 + size, count) }
    }

    /// Copies `channels` of sample `n` of `x` into consecutive padded planes at `padded`, leaving
    /// the padding as it is (zero when the buffer was zeroed once and only ever filled this way).
    func pad(_ x: UnsafePointer<Float>, sample n: Int, channels: Range<Int>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        let inPlane = g.height &* g.width
        for (slot, c) in channels.enumerated() {
            let src = x + (n &* g.inChannels &+ c) &* inPlane
            let origin: Int = slot &* paddedPlane &+ g.padY &* paddedWidth &+ g.padX
            let dst = padded + origin
            for row in 0..<g.height { copyRow(src + row &* g.width, to: dst + row &* paddedWidth, count: g.width) }
        }
    }

    /// Taps of one output value: (input channel, kernel row, kernel column) triples.
    var tapCount: Int { geometry.groupPatchSize }

    /// Runs `body` with each tap's offset in the padded planes, in weight order.
    func withTapOffsets<R>(_ body: (UnsafePointer<Int>) -> R) -> R {
        let g = geometry
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: tapCount)
        defer { offsets.deallocate() }
        var t = 0
        for i in 0..<g.groupInChannels {
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    offsets[t] = i * paddedPlane + ki * g.dilationY * paddedWidth + kj * g.dilationX
                    t += 1
                }
            }
        }
        return body(offsets)
    }

    /// The weights of `group`'s output `channels` as [tap][DirectTile.channels], with channels
    /// past the block zero, so that one tap's weights for the block are contiguous.
    func pack(_ w: UnsafePointer<Float>, group: Int, channels: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        let g = geometry
        let patch = g.groupPatchSize, width = DirectTile.channels
        packed.initialize(repeating: 0, count: patch &* width)
        for (lane, o) in channels.enumerated() {
            let src = w + (group &* g.groupOutChannels &+ o) &* patch
            for t in 0..<patch { packed[t &* width &+ lane] = src[t] }
        }
    }
}

/// y = conv(x, w) (with `accumulate`, y += conv(x, w)) for a geometry `plan` accepts.
///
/// The work items, (sample, group, block of output channels, part of the output vectors), are
/// split over the threads; a slice is cut into parts only when there are too few slices to keep
/// every thread busy (a batch of one). A thread pads a sample's group once for its items.
func directConv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         _ plan: DirectConvPlan, accumulate: Bool) {
    let g = plan.geometry
    let blocks = plan.channelBlocks(of: DirectTile.channels)
    let packedCount = g.groupPatchSize * DirectTile.channels
    withScratch(g.groups * blocks.count * packedCount) { packed in
        for group in 0..<g.groups {
            for (b, block) in blocks.enumerated() {
                plan.pack(w, group: group, channels: block, into: packed + (group * blocks.count + b) * packedCount)
            }
        }
        let (xs, ps, ys) = (SharedPointer(x), SharedPointer(packed), SharedPointer(y))
        let blockSlices = g.batch * g.groups * blocks.count
        let tiles = (g.outHeight * plan.vectorsPerRow + DirectTile.vectors - 1) / DirectTile.vectors
        let parts = min(tiles, max(1, (2 * Parallelism.threads + blockSlices - 1) / blockSlices))
        let items = Parallelism.split(count: blockSlices * parts)
        Parallelism.run(items) { _, range in
            withZeroedScratch(g.groupInChannels * plan.paddedPlane) { padded in
                plan.withTapOffsets { offsets in
                    var paddedSlice = -1  // the (sample, group) now in `padded`
                    for item in range {
                        let (blockSlice, part) = item.quotientAndRemainder(dividingBy: parts)
                        let (slice, b) = blockSlice.quotientAndRemainder(dividingBy: blocks.count)
                        let (n, group) = slice.quotientAndRemainder(dividingBy: g.groups)
                        if slice != paddedSlice {
                            let first = group * g.groupInChannels
                            plan.pad(xs.pointer, sample: n, channels: first ..< first + g.groupInChannels, into: padded)
                            paddedSlice = slice
                        }
                        let channel = group * g.groupOutChannels + blocks[b].lowerBound
                        ForwardTarget(plan: plan, padded: padded, offsets: offsets,
                                      weights: ps.pointer + (group * blocks.count + b) * packedCount,
                                      out: ys.pointer + (n * g.outChannels + channel) * plan.outputPlane,
                                      channels: blocks[b].count, accumulate: accumulate)
                            .compute(tiles: tiles * part / parts ..< tiles * (part + 1) / parts)
                    }
                }
            }
        }
    }
}

/// One block of output channels of one sample: its inputs, packed weights and output planes.
private struct ForwardTarget: TileSweep {
    let plan: DirectConvPlan
    let padded: UnsafePointer<Float>
    /// Offset of each (input channel, kernel row, kernel column) tap from a vector's origin.
    let offsets: UnsafePointer<Int>
    /// [tap][DirectTile.channels] weights.
    let weights: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>
    let channels: Int
    let accumulate: Bool

    /// Sweeps the output vectors (row by row, `vectorsPerRow` to a row) of `tiles`, tiles of
    /// three consecutive vectors (the last may hold fewer).
    func compute(tiles: Range<Int>) {
        let total = min(plan.geometry.outHeight * plan.vectorsPerRow, tiles.upperBound * DirectTile.vectors)
        for first in stride(from: tiles.lowerBound * DirectTile.vectors, to: total, by: DirectTile.vectors) {
            dispatch(first, vectors: min(DirectTile.vectors, total - first), channels: channels)
        }
    }

    /// Where output vector `index` starts in the padded input and in an output plane, and how
    /// many of its lanes are real pixels.
    @inline(__always)
    private func vector(_ index: Int) -> (input: Int, output: Int, count: Int) {
        let (lanes, width) = (DirectConvPlan.lanes, plan.outWidth)
        let row = index / plan.vectorsPerRow, column = (index % plan.vectorsPerRow) &* lanes
        return (row &* plan.paddedWidth &+ column, row &* width &+ column, min(lanes, width &- column))
    }

    /// The tile of `vectors` output vectors from vector `first` by `channels` output channels.
    func sweep<let vectors: Int, let channels: Int>(_ first: Int, _ shape: TileShape<vectors, channels>) {
        let v0 = vector(first), v1 = vectors > 1 ? vector(first &+ 1) : v0, v2 = vectors > 2 ? vector(first &+ 2) : v0
        let (p0, p1, p2) = (padded + v0.input, padded + v1.input, padded + v2.input)
        var tile = DirectTile()
        for t in 0..<plan.tapCount {
            let offset = offsets[t]
            let x0 = loadWide(p0 + offset)
            let x1 = vectors > 1 ? loadWide(p1 + offset) : x0
            let x2 = vectors > 2 ? loadWide(p2 + offset) : x0
            tile.add(x0, x1, x2, weights: weights + t &* DirectTile.channels, vectors: vectors, channels: channels)
        }
        let plane = plan.outputPlane
        for c in 0..<channels {
            storeLanes(tile.vector(0, channel: c), into: out + (c &* plane &+ v0.output), count: v0.count, accumulate: accumulate)
            if vectors > 1 {
                storeLanes(tile.vector(1, channel: c), into: out + (c &* plane &+ v1.output), count: v1.count, accumulate: accumulate)
            }
            if vectors > 2 {
                storeLanes(tile.vector(2, channel: c), into: out + (c &* plane &+ v2.output), count: v2.count, accumulate: accumulate)
            }
        }
    }
}
