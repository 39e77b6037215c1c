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
    let gradients = SharedPointer(dy)
    runAccumulatingWeights(Parallelism.split(count: g.batch), into: dw, count: g.weightCount) { range, target in
        guard let target else { return }
        let longest = (blockSize * plane + lanes - 1) / lanes * lanes
        withScratch((g.inChannels + g.outChannels) * longest) { packed in
            for block in sampleRuns(range, size: blockSize) {
                let (filled, length) = (block.count * plane, (block.count * plane + lanes - 1) / lanes * lanes)
                let (inputs, outputGradients) = (packed, packed + g.inChannels * length)
                for c in 0..<g.inChannels {
                    let row = inputs + c * length
                    for (slot, n) in block.enumerated() { copyRow(x.plane(sample: n, channel: c), to: row + slot * plane, count: plane) }
                    (row + filled).initialize(repeating: 0, count: length - filled)
                }
                for o in 0..<g.outChannels {
                    let row = outputGradients + o * length
                    for (slot, n) in block.enumerated() {
                        copyRow(gradients.pointer + (n * g.outChannels + o) * plane, to: row + slot * plane, count: plane)
                    }
                    (row + filled).initialize(repeating: 0, count: length - filled)
                }
                for group in 0..<g.groups {
                    let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
                    accumulateRowProducts(m: cout, n: cin, k: length, outputGradients + group * cout * length, lda: length,
                                          inputs + group * cin * length, ldb: length, target + group * cout * cin, ldc: cin)
                }
            }
        }
    }
}
