/// The weight gradient of a 1x1 convolution, dW [out × in] += Σₙ dYₙ [out × plane] · Xₙᵀ
/// [plane × in] per group, with the input channels read where they lie (`ChannelRows`).
///
/// Both factors run along the plane, so each weight is a dot product of two rows. A thread packs
/// a block of its samples, every channel's planes one after another in a row padded to whole
/// vectors (a sum over samples and pixels need not tell them apart), and multiplies the rows
/// (`accumulateRowProducts`); the packed block stays in L2 while the tiles sweep it. Each thread
/// takes its own samples into a private gradient (`runAccumulatingWeights`). By OpenBLAS the same
/// products are one per sample (a 32x32 plane makes a run of one) of a concatenation copied
/// first.

/// Floats of a packed sample block's inputs and output gradients (512 KB, half of L2).
private let targetBlockFloats = 128 * 1024

/// dw += the weight gradient of a 1x1 convolution `plan` accepts, given its input channels `x`
/// and output gradient `dy`.
func pointwiseConv2dBackwardWeight(_ x: ChannelRows, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                   _ plan: PointwisePlan) {
    let g = plan.geometry
    let (lanes, plane) = (WideVector.scalarCount, plan.plane)
    let blockSize = max(1, min(g.batch, targetBlockFloats / ((g.inChannels + g.outChannels) * plane)))
    let gradients = ChannelRows(dy, channels: g.outChannels, plane: plane)
    runAccumulatingWeights(Parallelism.split(count: g.batch), into: dw, count: g.weightCount) { range, target in
        guard let target else { return }
        let longest = (blockSize * plane + lanes - 1) / lanes * lanes
        withScratch((g.inChannels + g.outChannels) * longest) { packed in
            for block in sampleRuns(range, size: blockSize) {
                let length = (block.count * plane + lanes - 1) / lanes * lanes
                let (inputs, outputGradients) = (packed, packed + g.inChannels * length)
                pack(x, samples: block, into: inputs, length: length)
                pack(gradients, samples: block, into: outputGradients, length: length)
                for group in 0..<g.groups {
                    let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
                    accumulateRowProducts(m: cout, n: cin, k: length, outputGradients + group * cout * length, lda: length,
                                          inputs + group * cin * length, ldb: length, target + group * cout * cin, ldc: cin)
                }
            }
        }
    }
}

/// Copies each channel of `rows` over `samples` into a row of its own, `length` floats apart: the
/// samples' planes one after another, zero past the last. The planes `prefetchChannelsAhead`
/// channels ahead are prefetched, as the pointwise kernel's inputs are (`PointwisePlan.fill`).
private func pack(_ rows: ChannelRows, samples: Range<Int>, into packed: UnsafeMutablePointer<Float>, length: Int) {
    let (plane, filled) = (rows.plane, samples.count * rows.plane)
    for c in 0..<rows.channels {
        let row = packed + c * length, ahead = min(c + prefetchChannelsAhead, rows.channels - 1)
        for (slot, n) in samples.enumerated() {
            prefetch(rows.plane(sample: n, channel: ahead), count: plane)
            copyRow(rows.plane(sample: n, channel: c), to: row + slot * plane, count: plane)
        }
        (row + filled).initialize(repeating: 0, count: length - filled)
    }
}
