/// Convolution by im2col: each group's input patches of a run of samples are unfolded into a
/// column matrix and multiplied by the group's weights in one product.
///
/// Samples are processed in runs (`UnfoldedConvPlan.samplesPerRun`) so that small feature maps
/// still give wide products, and runs are split over `Parallelism.threads` threads. Within a run,
/// each group is unfolded and multiplied on its own, so the column matrix stays small enough for
/// the cache. The column buffer keeps one layout (row stride `runColumns`) for every run, so its
/// padding positions are zeroed once and im2col only writes in-bounds taps. A 1x1 stride-1
/// convolution of a single sample multiplies the input directly, without im2col.

/// How a convolution is cut into runs of samples.
struct UnfoldedConvPlan: Sendable {
    /// Columns (sample · output pixel) a product should have at least, when enough samples exist.
    static let targetColumns = 1024

    let geometry: ConvGeometry
    let samplesPerRun: Int

    init(_ geometry: ConvGeometry) {
        self.geometry = geometry
        let plane = geometry.outHeight * geometry.outWidth
        samplesPerRun = max(1, min(geometry.batch, (UnfoldedConvPlan.targetColumns + plane - 1) / plane))
    }

    var plane: Int { geometry.outHeight * geometry.outWidth }
    /// Row stride of every run matrix: the columns of a full run.
    var runColumns: Int { samplesPerRun * plane }
    /// Floats of one group's column matrix.
    var columnScratchCount: Int { geometry.groupPatchSize * runColumns }
    /// Floats of a run's output (or output gradient) matrix over all channels.
    var outputScratchCount: Int { geometry.outChannels * runColumns }

    /// The runs of samples in `range`.
    func runs(in range: Range<Int>) -> [Range<Int>] {
        sampleRuns(range, size: samplesPerRun)
    }

    /// Ranges of samples handed to the threads.
    var threadRanges: [Range<Int>] { Parallelism.split(count: geometry.batch) }

    /// The input channels of `group`.
    func channels(of group: Int) -> Range<Int> {
        let size = geometry.groupInChannels
        return group * size ..< (group + 1) * size
    }

    /// The column matrix of `group` over a run and its row stride: the input itself for a
    /// single-sample pointwise run, else `scratch` (zero-initialised once) filled by im2col.
    func columns(_ x: UnsafePointer<Float>, run: Range<Int>, group: Int,
                 scratch: UnsafeMutablePointer<Float>) -> (UnsafePointer<Float>, stride: Int) {
        let g = geometry
        if g.isPointwise && run.count == 1 {
            return (x + (run.lowerBound &* g.inChannels &+ group &* g.groupInChannels) &* plane, plane)
        }
        im2col(x, g, samples: run, channels: channels(of: group), scratch, columnStride: runColumns)
        return (UnsafePointer(scratch), runColumns)
    }
}

/// y = conv(x, w) by im2col and one product per group and run of samples.
func unfoldedConv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                           _ y: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry) {
    let plan = UnfoldedConvPlan(geometry)
    let (xs, ws, ys) = (SharedPointer(x), SharedPointer(w), SharedPointer(y))
    Parallelism.run(plan.threadRanges) { _, range in
        withZeroedScratch(plan.columnScratchCount) { col in
            withScratch(plan.outputScratchCount) { out in
                for run in plan.runs(in: range) {
                    convForwardRun(xs.pointer, ws.pointer, ys.pointer, plan, run, col, out)
                }
            }
        }
    }
}

private func convForwardRun(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ plan: UnfoldedConvPlan, _ run: Range<Int>,
                            _ colScratch: UnsafeMutablePointer<Float>, _ outScratch: UnsafeMutablePointer<Float>) {
    let g = plan.geometry
    let columns = run.count * plan.plane
    let direct = run.count == 1
    let (out, outStride) = direct ? (y + run.lowerBound * g.outChannels * plan.plane, plan.plane) : (outScratch, plan.runColumns)
    let (cout, k) = (g.groupOutChannels, g.groupPatchSize)
    for group in 0..<g.groups {
        let (col, colStride) = plan.columns(x, run: run, group: group, scratch: colScratch)
        gemm(.no, .no, m: cout, n: columns, k: k, w + group * cout * k, lda: k,
             col, ldb: colStride, out + group * cout * outStride, ldc: outStride)
    }
    if !direct { copyRun(out, stride: outStride, toSamples: y, channels: g.outChannels, plane: plan.plane, run: run) }
}

/// The input and/or weight gradients by im2col, products and col2im.
func unfoldedConv2dBackward(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                            dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                            _ geometry: ConvGeometry) {
    let plan = UnfoldedConvPlan(geometry)
    let ranges = plan.threadRanges
    let weightCount = geometry.weightCount
    let shared = (x: x.map(SharedPointer.init), w: w.map(SharedPointer.init), dy: SharedPointer(dy),
                  dx: dx.map(SharedPointer.init), dw: dw.map(SharedPointer.init))
    // With several threads each accumulates its own weight gradient; they are summed afterwards.
    let privateWeights = dw != nil && ranges.count > 1
    withZeroedScratch(privateWeights ? ranges.count * weightCount : 0) { partials in
        let partialsShared = SharedPointer(partials)
        Parallelism.run(ranges) { part, range in
            let dwTarget = privateWeights ? partialsShared.pointer + part * weightCount : shared.dw?.pointer
            let scratch = UnfoldedScratch(plan, columns: shared.dw != nil, columnGradients: shared.dx != nil)
            for run in plan.runs(in: range) {
                convBackwardRun(x: shared.x?.pointer, shared.w?.pointer, shared.dy.pointer,
                                dx: shared.dx?.pointer, dw: dwTarget, plan, run, scratch)
            }
        }
        if privateWeights, let dw {
            for part in 0..<ranges.count { add(partials + part * weightCount, into: dw, count: weightCount) }
        }
    }
}

/// Per-thread buffers of the backward pass: the column matrix (zeroed once), the column-matrix
/// gradient and a run's output gradient.
private final class UnfoldedScratch {
    let columns: UnsafeMutablePointer<Float>
    let columnGradients: UnsafeMutablePointer<Float>
    let outputGradients: UnsafeMutablePointer<Float>

    init(_ plan: UnfoldedConvPlan, columns wantColumns: Bool, columnGradients wantGradients: Bool) {
        columns = .allocate(capacity: wantColumns ? plan.columnScratchCount : 1)
        if wantColumns { columns.initialize(repeating: 0, count: plan.columnScratchCount) }
        columnGradients = .allocate(capacity: wantGradients ? plan.columnScratchCount : 1)
        outputGradients = .allocate(capacity: plan.outputScratchCount)
    }

    deinit {
        columns.deallocate()
        columnGradients.deallocate()
        outputGradients.deallocate()
    }
}

private func convBackwardRun(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                             dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                             _ plan: UnfoldedConvPlan, _ run: Range<Int>, _ scratch: UnfoldedScratch) {
    let g = plan.geometry
    let columns = run.count * plan.plane
    let (cout, k) = (g.groupOutChannels, g.groupPatchSize)
    let dyRun: UnsafePointer<Float>, dyStride: Int
    if run.count == 1 {
        (dyRun, dyStride) = (dy + run.lowerBound * g.outChannels * plan.plane, plan.plane)
    } else {
        copyRun(fromSamples: dy, into: scratch.outputGradients, stride: plan.runColumns, channels: g.outChannels,
                plane: plan.plane, run: run)
        (dyRun, dyStride) = (UnsafePointer(scratch.outputGradients), plan.runColumns)
    }
    for group in 0..<g.groups {
        let dyGroup = dyRun + group * cout * dyStride
        if let dw, let x {
            let (col, colStride) = plan.columns(x, run: run, group: group, scratch: scratch.columns)
            gemm(.no, .yes, m: cout, n: k, k: columns, dyGroup, lda: dyStride, col, ldb: colStride,
                 beta: 1, dw + group * cout * k, ldc: k)
        }
        guard let dx, let w else { continue }
        let wGroup = w + group * cout * k
        if g.isPointwise && run.count == 1 {
            let dxGroup = dx + (run.lowerBound * g.inChannels + group * k) * columns
            gemm(.yes, .no, m: k, n: columns, k: cout, wGroup, lda: k, dyGroup, ldb: dyStride,
                 beta: 1, dxGroup, ldc: columns)
        } else {
            gemm(.yes, .no, m: k, n: columns, k: cout, wGroup, lda: k, dyGroup, ldb: dyStride,
                 scratch.columnGradients, ldc: plan.runColumns)
            col2im(scratch.columnGradients, g, samples: run, channels: plan.channels(of: group), dx,
                   columnStride: plan.runColumns)
        }
    }
}

/// Copies a run's [channels, run·plane] matrix (row stride `stride`) into its samples' NCHW slots.
private func copyRun(_ src: UnsafePointer<Float>, stride: Int, toSamples y: UnsafeMutablePointer<Float>,
                     channels: Int, plane: Int, run: Range<Int>) {
    for (slot, s) in run.enumerated() {
        for c in 0..<channels {
            let column = c &* stride &+ slot &* plane
            (y + (s &* channels &+ c) &* plane).update(from: src + column, count: plane)
        }
    }
}

/// Copies a run's samples from NCHW into a [channels, run·plane] matrix (row stride `stride`).
private func copyRun(fromSamples y: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, stride: Int,
                     channels: Int, plane: Int, run: Range<Int>) {
    for (slot, s) in run.enumerated() {
        for c in 0..<channels {
            let column = c &* stride &+ slot &* plane
            (dst + column).update(from: y + (s &* channels &+ c) &* plane, count: plane)
        }
    }
}
