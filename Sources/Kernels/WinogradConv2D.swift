/// 3x3 stride-1 convolutions by Winograd's F(2x2, 3x3) (`WinogradTransforms.swift`): the
/// output is cut into 2x2 tiles; each tile's 4x4 input patch and each kernel are transformed to
/// 16 values, and the 16 positions become 16 matrix products of [out channels × in channels] by
/// [in channels × tiles], 2.25 times fewer multiply-adds than a direct convolution. The weight
/// gradient is 16 products of the transformed output gradient by the transformed input.
///
/// Samples are processed in runs (`WinogradPlan.samplesPerRun`) so that each product covers
/// about `WinogradPlan.targetTiles` tiles, and runs are split over the threads; a sample alone
/// (a HyperNet pass) splits its transforms over channels instead. A sample's planes
/// are first copied into zero-padded planes that store even and odd columns apart, so every
/// patch reads in bounds and a patch column of eight tiles is one vector; tile rows are
/// transformed eight tiles at a time, and a row's last vector may spill into the next row's
/// slots, which are written afterwards (the buffers keep `Winograd.lanes` slack columns past
/// the last tile).

/// How a Winograd convolution tiles its geometry.
struct WinogradPlan: Sendable {
    /// The fewest input and output channels for which Winograd is used (a choice, not tuned:
    /// at 32 channels it already ran forward+backward 1.6x faster than the direct kernels).
    static let minimumChannels = 16
    /// Tiles a run of samples should reach: the width of its 16 products (128 beat 64, 256,
    /// 512 and 1024 on WRN-16-2 steps at batch 128).
    static let targetTiles = 128

    let geometry: ConvGeometry
    let tilesY: Int
    let tilesX: Int
    /// Rows and row stride of a padded input plane: patches of whole vectors of tiles fit inside.
    let paddedHeight: Int
    let paddedWidth: Int
    let samplesPerRun: Int

    /// Nil unless `geometry` is a 3x3, stride-1, undilated, ungrouped convolution with at least
    /// `minimumChannels` input and output channels.
    init?(_ geometry: ConvGeometry) {
        let g = geometry
        guard g.kernelHeight == 3, g.kernelWidth == 3, g.strideY == 1, g.strideX == 1, g.dilationY == 1,
              g.dilationX == 1, g.groups == 1,
              min(g.inChannels, g.outChannels) >= WinogradPlan.minimumChannels else { return nil }
        self.geometry = g
        tilesY = (g.outHeight + 1) / 2
        tilesX = (g.outWidth + 1) / 2
        let vectorsPerRow = (tilesX + Winograd.lanes - 1) / Winograd.lanes
        paddedHeight = 2 * tilesY + 2
        paddedWidth = 2 * vectorsPerRow * Winograd.lanes + 2
        samplesPerRun = max(1, min(g.batch, WinogradPlan.targetTiles / (tilesY * tilesX)))
    }

    var tilesPerSample: Int { tilesY * tilesX }
    /// Row stride of the transformed matrices: a full run's tiles plus slack for the last vector.
    var tileStride: Int { samplesPerRun * tilesPerSample + Winograd.lanes }
    var paddedPlane: Int { paddedHeight * paddedWidth }
    var threadRanges: [Range<Int>] { Parallelism.split(count: geometry.batch) }

    /// Transforms every input plane of the samples in `run` into `v` ([ξ][channel][tile], rows
    /// `tileStride` apart), using `padded`, zeroed once, for a sample's padded planes.
    func transformInput(_ x: UnsafePointer<Float>, run: Range<Int>, into v: UnsafeMutablePointer<Float>,
                        padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        transformPlanes(x, run: run, channels: g.inChannels, height: g.height, width: g.width, top: g.padY, left: g.padX,
                        into: v, padded: padded, winogradTransformInput)
    }

    /// Copies `channels` planes of `height` rows of `width` from `src` into consecutive padded
    /// planes, `top` rows down and `left` columns in. A padded row stores its even columns, then
    /// its odd ones (`paddedWidth / 2` each), so that column j of eight adjacent tiles' patches
    /// is one contiguous vector.
    private func pad(_ src: UnsafePointer<Float>, channels: Int, height: Int, width: Int, top: Int, left: Int,
                     into padded: UnsafeMutablePointer<Float>) {
        let half = paddedWidth / 2
        for c in 0..<channels {
            let from = src + c &* height &* width, to = padded + (c &* paddedPlane &+ top &* paddedWidth)
            for row in 0..<height {
                copyDeinterleaved(from + row &* width, count: width, to: to + row &* paddedWidth, column: left, half: half)
            }
        }
    }

    /// Writes (or adds) the output planes of the samples in `run` from `m` ([ξ][out channel][tile]).
    func transformOutput(_ m: UnsafePointer<Float>, run: Range<Int>, into y: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let g = geometry
        let (height, width) = (g.outHeight, g.outWidth)
        let pointStride = g.outChannels &* tileStride
        for (slot, n) in run.enumerated() {
            forEachChannelRange(g.outChannels) { channels in
                for o in channels {
                    let tiles = m + (o &* tileStride &+ slot &* tilesPerSample)
                    let out = y + (n &* g.outChannels &+ o) &* height &* width
                    forEachVector { ty, tx in
                        winogradTransformOutput(tiles + (ty &* tilesX &+ tx), pointStride: pointStride,
                                                out + (2 &* ty &* width &+ 2 &* tx), rowStride: width,
                                                columns: min(2 &* Winograd.lanes, width &- 2 &* tx),
                                                twoRows: 2 &* ty &+ 1 < height, accumulate: accumulate)
                    }
                }
            }
        }
    }

    /// Calls `body` for ranges of `channels`, split over the threads when a sample's planes are
    /// enough work and the caller is not one of a split's threads (a sample alone, as in a
    /// HyperNet pass), else one range. A plane's transform counts as four copies of it against
    /// `Parallelism.elementwiseMinimumPerThread`.
    private func forEachChannelRange(_ channels: Int, _ body: (Range<Int>) -> Void) {
        Parallelism.forEachRange(channels, minimumPerThread: max(1, Parallelism.elementwiseMinimumPerThread / (4 * paddedPlane)), body)
    }

    /// Transforms every output-gradient plane of the samples in `run` into `m` ([ξ][out
    /// channel][tile]), using `padded`, zeroed once, for a sample's planes (their positions past
    /// the output stay zero).
    func transformOutputGradient(_ dy: UnsafePointer<Float>, run: Range<Int>, into m: UnsafeMutablePointer<Float>,
                                 padded: UnsafeMutablePointer<Float>) {
        let g = geometry
        transformPlanes(dy, run: run, channels: g.outChannels, height: g.outHeight, width: g.outWidth, top: 0, left: 0,
                        into: m, padded: padded, winogradTransformOutputGradient)
    }

    /// Pads each sample's `channels` planes of `src` into `padded` (all of a range of channels
    /// before any is read, so no read waits on a store just issued), then applies `transform` to
    /// every vector of tiles, writing [ξ][channel][tile] into `out`; channel ranges may run on
    /// several threads (`forEachChannelRange`).
    @inline(__always)
    private func transformPlanes(_ src: UnsafePointer<Float>, run: Range<Int>, channels: Int, height: Int, width: Int,
                                 top: Int, left: Int, into out: UnsafeMutablePointer<Float>,
                                 padded: UnsafeMutablePointer<Float>,
                                 _ transform: (UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<Float>, Int) -> Void) {
        let pointStride = channels &* tileStride
        for (slot, n) in run.enumerated() {
            forEachChannelRange(channels) { range in
                let sample = src + n &* channels &* height &* width
                pad(sample + range.lowerBound &* height &* width, channels: range.count, height: height, width: width,
                    top: top, left: left, into: padded + range.lowerBound &* paddedPlane)
                for c in range {
                    let plane = padded + c &* paddedPlane, tiles = out + (c &* tileStride &+ slot &* tilesPerSample)
                    forEachVector { ty, tx in
                        transform(plane + (2 &* ty &* paddedWidth &+ tx), paddedWidth, paddedWidth / 2,
                                  tiles + (ty &* tilesX &+ tx), pointStride)
                    }
                }
            }
        }
    }

    /// Calls `body(tileRow, firstTileColumn)` for each vector of tiles, row by row.
    @inline(__always)
    private func forEachVector(_ body: (Int, Int) -> Void) {
        for ty in 0..<tilesY {
            for tx in stride(from: 0, to: tilesX, by: Winograd.lanes) { body(ty, tx) }
        }
    }
}

/// y = conv(x, w), or y += conv(x, w) with `accumulate`, for a geometry `plan` accepts.
func winogradConv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           _ plan: WinogradPlan, accumulate: Bool) {
    let g = plan.geometry
    let (cin, cout) = (g.inChannels, g.outChannels)
    withScratch(Winograd.points * cout * cin) { u in
        // About 100 cycles a kernel, stored to 16 places: a HyperNet's 3x3 compressions have
        // 10-20 thousand kernels, worth splitting from a thousand.
        Parallelism.forEachIndex(cout, minimumPerThread: max(1, 1024 / cin)) { o in
            for i in 0..<cin { winogradTransformWeights(w + (o * cin + i) * 9, u + o * cin + i, pointStride: cout * cin) }
        }
        let (xs, us, ys) = (SharedPointer(x), SharedPointer(u), SharedPointer(y))
        Parallelism.run(plan.threadRanges) { _, range in
            withZeroedScratch(cin * plan.paddedPlane) { padded in
                withScratch(Winograd.points * cin * plan.tileStride) { v in
                    withScratch(Winograd.points * cout * plan.tileStride) { m in
                        for run in sampleRuns(range, size: plan.samplesPerRun) {
                            plan.transformInput(xs.pointer, run: run, into: v, padded: padded)
                            let tiles = run.count * plan.tilesPerSample
                            let (vs, ms) = (SharedPointer(v), SharedPointer(m))
                            Parallelism.forEachProduct(Winograd.points, work: Winograd.points * cout * tiles * cin) { point in
                                gemm(.no, .no, m: cout, n: tiles, k: cin, us.pointer + point * cout * cin, lda: cin,
                                     vs.pointer + point * cin * plan.tileStride, ldb: plan.tileStride,
                                     ms.pointer + point * cout * plan.tileStride, ldc: plan.tileStride)
                            }
                            plan.transformOutput(m, run: run, into: ys.pointer, accumulate: accumulate)
                        }
                    }
                }
            }
        }
    }
}

/// dw += the weight gradient of a convolution `plan` accepts, given its input `x` and output
/// gradient `dy`.
func winogradConv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                  _ plan: WinogradPlan) {
    let g = plan.geometry
    let (cin, cout) = (g.inChannels, g.outChannels)
    let (xs, dys) = (SharedPointer(x), SharedPointer(dy))
    runAccumulatingWeights(plan.threadRanges, into: dw, count: g.weightCount) { range, target in
        guard let target else { return }
        withZeroedScratch((cin + cout) * plan.paddedPlane) { padded in
            withScratch(Winograd.points * cin * plan.tileStride) { v in
                withScratch(Winograd.points * cout * plan.tileStride) { m in
                    withZeroedScratch(Winograd.points * cout * cin) { du in
                        for run in sampleRuns(range, size: plan.samplesPerRun) {
                            plan.transformInput(xs.pointer, run: run, into: v, padded: padded)
                            plan.transformOutputGradient(dys.pointer, run: run, into: m, padded: padded + cin * plan.paddedPlane)
                            let tiles = run.count * plan.tilesPerSample
                            let (vs, ms, dus) = (SharedPointer(v), SharedPointer(m), SharedPointer(du))
                            Parallelism.forEachProduct(Winograd.points, work: Winograd.points * cout * tiles * cin) { point in
                                gemm(.no, .yes, m: cout, n: cin, k: tiles, ms.pointer + point * cout * plan.tileStride,
                                     lda: plan.tileStride, vs.pointer + point * cin * plan.tileStride, ldb: plan.tileStride,
                                     beta: 1, dus.pointer + point * cout * cin, ldc: cin)
                            }
                        }
                        for o in 0..<cout {
                            for i in 0..<cin {
                                winogradAccumulateWeightGradient(du + o * cin + i, pointStride: cout * cin,
                                                                 into: target + (o * cin + i) * 9)
                            }
                        }
                    }
                }
            }
        }
    }
}
