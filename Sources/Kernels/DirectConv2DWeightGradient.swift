/// The weight gradient of a direct convolution (`DirectConv2D.swift`), laid out like its forward
/// pass: vectors run over output pixels, and a tile holds three taps by `DirectTile.channels`
/// output channels. For each tap the sums dw[o][tap] = Σ dy[o][pixel] · x[pixel + tap] gather in
/// vectors over pixels, reduced across lanes once per run of samples. Per 3·C multiply-adds a
/// tile loads three input vectors and C output-gradient vectors (C = 4, or 8 with 512-bit
/// vectors), where broadcasting one input value per tap (output channels in the lanes) needs a
/// load per multiply-add.

/// dw += the weight gradient, for a geometry `plan` accepts.
///
/// With a sample or more per thread, the threads split the batch and each sums into its own
/// copy of dw. With fewer (a HyperNet's batch of one), they split the tiles instead, whose
/// weights do not overlap, and each reads every sample.
func directConv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                _ plan: DirectConvPlan) {
    let g = plan.geometry
    let (xs, dys) = (SharedPointer(x), SharedPointer(dy))
    guard g.batch < Parallelism.threads else {
        runAccumulatingWeights(Parallelism.split(count: g.batch), into: dw, count: g.weightCount) { range, target in
            guard let target else { return }
            accumulateWeightGradient(xs.pointer, dys.pointer, plan, samples: range, tiles: 0..<plan.weightGradientTiles, into: target)
        }
        return
    }
    let dws = SharedPointer(dw)
    Parallelism.run(Parallelism.split(count: plan.weightGradientTiles)) { _, tiles in
        accumulateWeightGradient(xs.pointer, dys.pointer, plan, samples: 0..<g.batch, tiles: tiles, into: dws.pointer)
    }
}

/// Adds the weight gradient of `samples` over `tiles` (of each group) to `dw`, a run of samples at a time.
private func accumulateWeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ plan: DirectConvPlan,
                                      samples: Range<Int>, tiles: Range<Int>, into dw: UnsafeMutablePointer<Float>) {
    let g = plan.geometry
    let perSample = g.groupInChannels * plan.paddedPlane + DirectTile.channels * plan.paddedOutputPlane
    let runSize = max(1, min(samples.count, DirectConvPlan.targetRunFloats / perSample))
    withZeroedScratch(runSize * g.groupInChannels * plan.paddedPlane) { padded in
        withZeroedScratch(runSize * DirectTile.channels * plan.paddedOutputPlane) { gradients in
            plan.withTapOffsets { offsets in
                for group in 0..<g.groups {
                    for run in sampleRuns(samples, size: runSize) {
                        let buffers = WeightGradientRun(plan: plan, run: run, padded: padded, gradients: gradients, offsets: offsets)
                        buffers.accumulate(x, dy, into: dw, group: group, tiles: tiles)
                    }
                }
            }
        }
    }
}

extension DirectConvPlan {
    /// Floats of an output plane whose rows are padded to whole vectors.
    var paddedOutputPlane: Int { geometry.outHeight * vectorsPerRow * DirectConvPlan.lanes }

    /// Runs of up to three taps, in weight order.
    var tapRuns: Int { (tapCount + DirectTile.vectors - 1) / DirectTile.vectors }

    /// The weight gradient's tiles per group: blocks of output channels by runs of taps.
    var weightGradientTiles: Int { channelBlocks(of: DirectTile.channels).count * tapRuns }
}

/// One group's weight gradient over a run of samples: its padded inputs, its output gradients
/// with rows padded by zeros to whole vectors, and each tap's offset in a padded input.
private struct WeightGradientRun: TileSweep {
    let plan: DirectConvPlan
    let run: Range<Int>
    let padded: UnsafeMutablePointer<Float>
    /// [sample][DirectTile.channels][row][vectorsPerRow · lanes]; lanes past a row's end stay zero.
    let gradients: UnsafeMutablePointer<Float>
    let offsets: UnsafePointer<Int>

    /// Pads the run's inputs, then sweeps `tiles` (block of output channels by run of taps, the
    /// runs of a block in a row), copying each block's gradients before its first tile.
    func accumulate(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>,
                    group: Int, tiles: Range<Int>) {
        let g = plan.geometry
        let first = group * g.groupInChannels
        for (slot, n) in run.enumerated() {
            plan.pad(x, sample: n, channels: first ..< first + g.groupInChannels, into: padded + slot * g.groupInChannels * plan.paddedPlane)
        }
        let blocks = plan.channelBlocks(of: DirectTile.channels)
        var copiedBlock = -1
        for tile in tiles {
            let (b, tapRun) = tile.quotientAndRemainder(dividingBy: plan.tapRuns)
            let outFirst = group * g.groupOutChannels + blocks[b].lowerBound
            if b != copiedBlock {
                copyGradients(dy, channels: outFirst ..< outFirst + blocks[b].count)
                copiedBlock = b
            }
            let firstTap = tapRun * DirectTile.vectors
            let taps = min(DirectTile.vectors, plan.tapCount - firstTap)
            let sums = dispatch(firstTap, vectors: taps, channels: blocks[b].count)
            for c in 0..<blocks[b].count {
                let target = dw + (outFirst + c) * g.groupPatchSize + firstTap
                for t in 0..<taps { target[t] += laneSum(sums.vector(t, channel: c)) }
            }
        }
    }

    /// Copies the output gradients of `channels` for every sample of the run into `gradients`.
    private func copyGradients(_ dy: UnsafePointer<Float>, channels: Range<Int>) {
        let g = plan.geometry
        let (plane, rowStride) = (plan.outputPlane, plan.vectorsPerRow * DirectConvPlan.lanes)
        for (slot, n) in run.enumerated() {
            for (lane, c) in channels.enumerated() {
                let src = dy + (n * g.outChannels + c) * plane
                let dst = gradients + (slot * DirectTile.channels + lane) * plan.paddedOutputPlane
                for row in 0..<g.outHeight { copyRow(src + row * g.outWidth, to: dst + row * rowStride, count: g.outWidth) }
            }
        }
    }

    /// The sums of `taps` taps from `firstTap` by `channels` output channels over the run.
    func sweep<let taps: Int, let channels: Int>(_ firstTap: Int, _ shape: TileShape<taps, channels>) -> DirectTile {
        let g = plan.geometry, lanes = DirectConvPlan.lanes
        let (vectorsPerRow, gradientPlane) = (plan.vectorsPerRow, plan.paddedOutputPlane)
        let tap0 = offsets[firstTap], tap1 = taps > 1 ? offsets[firstTap &+ 1] : tap0, tap2 = taps > 2 ? offsets[firstTap &+ 2] : tap0
        // Output vectors follow one another in `gradients`; in a padded input each row of
        // them ends `rowSkip` floats before the next row starts.
        let rowSkip = plan.paddedWidth &- vectorsPerRow &* lanes
        var tile = DirectTile()
        for slot in 0..<run.count {
            var p = padded + slot &* g.groupInChannels &* plan.paddedPlane
            var gradient = gradients + slot &* DirectTile.channels &* gradientPlane
            var column = 0
            for _ in 0..<g.outHeight &* vectorsPerRow {
                let x0 = loadWide(p + tap0)
                let x1 = taps > 1 ? loadWide(p + tap1) : x0
                let x2 = taps > 2 ? loadWide(p + tap2) : x0
                tile.add(x0, x1, x2, gradients: gradient, channelStride: gradientPlane, vectors: taps, channels: channels)
                gradient += lanes
                p += lanes
                column &+= 1
                if column == vectorsPerRow {
                    column = 0
                    p += rowSkip
                }
            }
        }
        return tile
    }
}
