/// 1x1 convolutions (stride 1, no padding) that read their input channels where they lie and
/// may apply a ReLU as they write: per sample and group a matrix product W [out × in] ·
/// X [in × plane] by a kernel of its own.
///
/// A SMASH op's 1x1 stage reads a concatenation of memory banks and is followed by a ReLU. By
/// im2col and OpenBLAS that is a copy of the concatenation, the product (whose beta pass first
/// zeroes the output) and a ReLU pass over the output; here a thread copies a chunk of panels
/// of `PointwisePlan.panelWidth` pixels of every input channel straight from the banks
/// (`ChannelRows`) into a contiguous buffer, sweeps the packed weights over each panel in
/// register tiles of three vectors of pixels by `DirectTile.channels` output channels and writes
/// each tile once, activated. On plain 1x1 convolutions OpenBLAS's product alone is as fast or
/// faster where both run vectors of the same width (144 -> 128 channels at 32x32, batch 50, eight
/// floats: 53-56 against 46-50 GMAC/s; 256 -> 128 at 7x7, sixteen: 0.59 against 0.70 ms), so
/// those stay with it unless this kernel has 512-bit vectors and OpenBLAS runs 256-bit ones
/// (`outrunsOpenBLAS`; 192 -> 64 channels at 28x28, one thread: 6.4 against 9.3 ms).

/// Where the input channels of a 1x1 convolution lie: for each channel, its plane in sample 0
/// and the distance between samples, so that the channel concatenation of several NCHW
/// buffers is read without being built.
public struct ChannelRows: @unchecked Sendable {
    let parts: [(data: UnsafePointer<Float>, channels: Int)]
    let plane: Int
    let origins: [UnsafePointer<Float>]
    let sampleStrides: [Int]

    /// The channels of `parts`, NCHW buffers of the given channel counts, one after the other.
    public init(concatenating parts: [(data: UnsafePointer<Float>, channels: Int)], plane: Int) {
        self.parts = parts
        self.plane = plane
        origins = parts.flatMap { part in (0..<part.channels).map { part.data + $0 * plane } }
        sampleStrides = parts.flatMap { Array(repeating: $0.channels * plane, count: $0.channels) }
    }

    /// The `channels` channels of one NCHW buffer.
    public init(_ data: UnsafePointer<Float>, channels: Int, plane: Int) {
        self.init(concatenating: [(data, channels)], plane: plane)
    }

    /// The number of channels.
    public var channels: Int { origins.count }

    /// Channel `c`'s plane in sample `n`.
    @inline(__always)
    func plane(sample n: Int, channel c: Int) -> UnsafePointer<Float> {
        origins[c] + n &* sampleStrides[c]
    }

    /// Copies the channels of `samples` samples into `joined`, an NCHW buffer.
    public func join(samples: Int, into joined: UnsafeMutablePointer<Float>) {
        var offset = 0
        for part in parts {
            copyChannels(part.data, from: ChannelBlock(channels: part.channels, offset: 0), joined,
                         to: ChannelBlock(channels: channels, offset: offset), count: part.channels, batch: samples, plane: plane,
                         accumulate: false)
            offset += part.channels
        }
    }

    /// Runs `body` with the channels of `samples` samples as one NCHW buffer: the single part's
    /// own, else the parts joined into a scratch buffer.
    public func withJoined<R>(samples: Int, _ body: (UnsafePointer<Float>) -> R) -> R {
        if parts.count == 1 { return body(parts[0].data) }
        return withScratch(samples * channels * plane) { joined in
            join(samples: samples, into: joined)
            return body(joined)
        }
    }
}

/// How a pointwise convolution cuts its work: chunks of consecutive panels of pixels per
/// (sample, group), each packed at once so that every input row is read in one run.
struct PointwisePlan: Sendable {
    /// Pixels per panel: one register tile's three vectors.
    static let panelWidth = DirectTile.vectors * DirectConvPlan.lanes
    /// Floats of packed inputs a chunk may fill (256 KB, half of L2, where it stays while its
    /// panels are swept).
    static let targetChunkFloats = 64 * 1024

    let geometry: ConvGeometry
    let panelsPerPlane: Int
    let panelsPerChunk: Int

    /// Whether plain 1x1 convolutions run faster here than by OpenBLAS: where this kernel's
    /// vectors are 512-bit (`WideVector`) and OpenBLAS's are not (`OpenBLAS.runsAVX512Kernels`).
    static let outrunsOpenBLAS = WideVector.scalarCount == 16 && !OpenBLAS.runsAVX512Kernels

    /// Nil unless `geometry` is a 1x1 convolution with stride 1 and no padding.
    init?(_ geometry: ConvGeometry) {
        let g = geometry
        guard g.kernelHeight == 1, g.kernelWidth == 1, g.strideY == 1, g.strideX == 1, g.padY == 0, g.padX == 0 else { return nil }
        self.geometry = g
        panelsPerPlane = (g.height * g.width + Self.panelWidth - 1) / Self.panelWidth
        // Small enough to stay in cache, and enough chunks for every thread where the batch is small.
        let slices = g.batch * g.groups, threads = Parallelism.threads
        let forThreads = slices >= 2 * threads ? panelsPerPlane : max(1, panelsPerPlane * slices / (2 * threads))
        panelsPerChunk = max(1, min(forThreads, Self.targetChunkFloats / (g.groupInChannels * Self.panelWidth)))
    }

    var plane: Int { geometry.height * geometry.width }
    var chunksPerPlane: Int { (panelsPerPlane + panelsPerChunk - 1) / panelsPerChunk }
    var blocksPerGroup: Int { (geometry.groupOutChannels + DirectTile.channels - 1) / DirectTile.channels }
    /// Floats of one block's packed weights: [input channel][DirectTile.channels].
    var packedBlockCount: Int { geometry.groupInChannels * DirectTile.channels }
    /// Floats of one packed panel: [input channel][panelWidth].
    var panelCount: Int { geometry.groupInChannels * Self.panelWidth }

    /// The weights as [group][block][input channel][DirectTile.channels], channels past the
    /// last block zero.
    func pack(_ w: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>) {
        let g = geometry, width = DirectTile.channels
        let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
        packed.initialize(repeating: 0, count: g.groups &* blocksPerGroup &* packedBlockCount)
        for group in 0..<g.groups {
            for o in 0..<cout {
                let (block, lane) = o.quotientAndRemainder(dividingBy: width)
                let src = w + (group &* cout &+ o) &* cin
                let dst = packed + ((group &* blocksPerGroup &+ block) &* packedBlockCount &+ lane)
                for i in 0..<cin { dst[i &* width] = src[i] }
            }
        }
    }

    /// The sample, group and panels of work item `item`, (sample, group, chunk) in order.
    func chunk(_ item: Int) -> (sample: Int, group: Int, panels: Range<Int>) {
        let (slice, chunk) = item.quotientAndRemainder(dividingBy: chunksPerPlane)
        let (n, group) = slice.quotientAndRemainder(dividingBy: geometry.groups)
        let first = chunk * panelsPerChunk
        return (n, group, first ..< min(first + panelsPerChunk, panelsPerPlane))
    }

    /// Copies the `panels` panels from `panel` (an index within the plane) of `group`'s input
    /// channels in sample `n` into `packed` ([panel][input channel][panelWidth]), zero beyond
    /// the plane's last pixel. The rows `prefetchChannelsAhead` channels ahead are prefetched:
    /// the inputs come from memory, and the copy waited on them for a third of the kernel's time
    /// (with the prefetch, scoring the reference configuration 2-3% faster, alternated).
    func fill(_ packed: UnsafeMutablePointer<Float>, from x: ChannelRows, sample n: Int, group: Int, panels: Range<Int>) {
        let cin = geometry.groupInChannels, width = Self.panelWidth
        for i in 0..<cin {
            let row = x.plane(sample: n, channel: group &* cin &+ i)
            let next = x.plane(sample: n, channel: group &* cin &+ min(i &+ prefetchChannelsAhead, cin &- 1))
            for (slot, p) in panels.enumerated() {
                let first = p &* width, pixels = min(width, plane &- first)
                prefetch(next + first, count: pixels)
                copyRow(row + first, to: packed + (slot &* panelCount &+ i &* width), count: pixels, paddedTo: width)
            }
        }
    }
}

/// y = conv(x, w) (with `relu`, y = max(conv(x, w), 0); with `accumulate`, y += conv(x, w), or
/// y += max(conv(x, w), 0) with both) for a 1x1 geometry `plan` accepts, the input channels read
/// through `x`.
func pointwiseConv2dForward(_ x: ChannelRows, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ plan: PointwisePlan, relu: Bool, accumulate: Bool = false) {
    let g = plan.geometry
    let packedCount = g.groups * plan.blocksPerGroup * plan.packedBlockCount
    withScratch(packedCount) { packed in
        plan.pack(w, into: packed)
        let (ps, ys) = (SharedPointer(packed), SharedPointer(y))
        let items = Parallelism.split(count: g.batch * g.groups * plan.chunksPerPlane)
        Parallelism.run(items) { _, range in
            withScratch(plan.panelsPerChunk * plan.panelCount) { panels in
                for item in range {
                    let (n, group, chunkPanels) = plan.chunk(item)
                    plan.fill(panels, from: x, sample: n, group: group, panels: chunkPanels)
                    for (slot, p) in chunkPanels.enumerated() {
                        let pixel = p * PointwisePlan.panelWidth
                        let vectors = (min(PointwisePlan.panelWidth, plan.plane - pixel) + DirectConvPlan.lanes - 1) / DirectConvPlan.lanes
                        for block in 0..<plan.blocksPerGroup {
                            let channel = block * DirectTile.channels
                            PointwiseTarget(plan: plan, panel: panels + slot * plan.panelCount,
                                            weights: ps.pointer + (group * plan.blocksPerGroup + block) * plan.packedBlockCount,
                                            out: ys.pointer + (n * g.outChannels + group * g.groupOutChannels + channel) * plan.plane,
                                            relu: relu, accumulate: accumulate)
                                .dispatch(pixel, vectors: vectors, channels: min(DirectTile.channels, g.groupOutChannels - channel))
                        }
                    }
                }
            }
        }
    }
}

/// One panel of pixels by one block of output channels.
private struct PointwiseTarget: TileSweep {
    let plan: PointwisePlan
    /// [input channel][panelWidth] inputs.
    let panel: UnsafePointer<Float>
    /// [input channel][DirectTile.channels] weights.
    let weights: UnsafePointer<Float>
    /// The block's first output plane.
    let out: UnsafeMutablePointer<Float>
    let relu: Bool
    let accumulate: Bool

    /// The panel starting at pixel `first`.
    func sweep<let vectors: Int, let channels: Int>(_ first: Int, _ shape: TileShape<vectors, channels>) {
        let lanes = DirectConvPlan.lanes
        var tile = DirectTile()
        tile.addPanel(panel, rowStride: PointwisePlan.panelWidth, weights: weights, depth: plan.geometry.groupInChannels,
                      vectors: vectors, channels: channels)
        let plane = plan.plane
        let (count0, count1, count2) = (min(lanes, plane &- first), min(lanes, plane &- first &- lanes),
                                         min(lanes, plane &- first &- 2 &* lanes))
        for c in 0..<channels {
            let dst = out + (c &* plane &+ first)
            storeLanes(activated(tile.vector(0, channel: c)), into: dst, count: count0, accumulate: accumulate)
            if vectors > 1 { storeLanes(activated(tile.vector(1, channel: c)), into: dst + lanes, count: count1, accumulate: accumulate) }
            if vectors > 2 {
                storeLanes(activated(tile.vector(2, channel: c)), into: dst + 2 &* lanes, count: count2, accumulate: accumulate)
            }
        }
    }

    /// `value`, with `relu` its negative lanes zero.
    @inline(__always)
    private func activated(_ value: WideVector) -> WideVector {
        relu ? value.replacing(with: 0, where: value .< 0) : value
    }
}
