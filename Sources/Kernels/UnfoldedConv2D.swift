/// Convolution by im2col: each group's input patches of a run of samples are unfolded into a
/// column matrix and multiplied by the group's weights in one product.
///
/// Samples are processed in runs (`UnfoldedConvPlan.samplesPerRun`) so that small feature maps
/// still give wide products, and runs are split over `Parallelism.threads` threads. Within a run,
/// each group's input channels are unfolded a chunk at a time (`channelsPerChunk`) and the chunk
/// products accumulate, so the column matrix stays in the core's cache however many channels
/// there are. The column buffer keeps one layout (row stride `runColumns`) for every run and
/// chunk, so its padding positions are zeroed once and im2col only writes in-bounds taps. A 1x1
/// stride-1 convolution of a single sample multiplies the input directly, without im2col.

/// How a convolution is cut into runs of samples.
struct UnfoldedConvPlan: Sendable {
    /// Columns (sample · output pixel) a product should have at least, when enough samples exist.
    /// A 28x28 plane makes a run of one sample, which writes its output in place (the stem's
    /// forward pass ran 2x faster than with runs of two and a copy).
    static let targetColumns = 512
    /// Floats of column matrix a chunk of input channels may fill: about half a core's L2 cache.
    static let targetChunkFloats = 128 * 1024

    let geometry: ConvGeometry
    let samplesPerRun: Int
    let channelsPerChunk: Int

    init(_ geometry: ConvGeometry) {
        self.geometry = geometry
        let plane = geometry.outHeight * geometry.outWidth
        samplesPerRun = max(1, min(geometry.batch, (UnfoldedConvPlan.targetColumns + plane - 1) / plane))
        let rowsPerChannel = geometry.kernelHeight * geometry.kernelWidth
        channelsPerChunk = max(1, min(geometry.groupInChannels,
                                      UnfoldedConvPlan.targetChunkFloats / (rowsPerChannel * samplesPerRun * plane)))
    }

    var plane: Int { geometry.outHeight * geometry.outWidth }
    /// Row stride of every run matrix: the columns of a full run.
    var runColumns: Int { samplesPerRun * plane }
    /// Column-matrix rows per input channel.
    var rowsPerChannel: Int { geometry.kernelHeight * geometry.kernelWidth }
    /// Floats of one chunk's column matrix.
    var columnScratchCount: Int { channelsPerChunk * rowsPerChannel * runColumns }
    /// Floats of a run's output (or output gradient) matrix over all channels.
    var outputScratchCount: Int { geometry.outChannels * runColumns }

    /// The runs of samples in `range`.
    func runs(in range: Range<Int>) -> [Range<Int>] {
        sampleRuns(range, size: samplesPerRun)
    }

    /// Ranges of samples handed to the threads.
    var threadRanges: [Range<Int>] { Parallelism.split(count: geometry.batch) }

    /// The chunks of `group`'s input channels unfolded at a time. A single-sample pointwise run
    /// needs no unfolding, so it takes the group's channels in one chunk.
    func chunks(of group: Int, run: Range<Int>) -> [ChannelChunk] {
        let size = geometry.groupInChannels, first = group * size
        let step = geometry.isPointwise && run.count == 1 ? size : channelsPerChunk
        return stride(from: 0, to: size, by: step).map { start in
            ChannelChunk(channels: first + start ..< first + min(start + step, size), rowOffset: start * rowsPerChannel)
        }
    }

    /// The column matrix of a chunk over a run and its row stride: the input itself for a
    /// single-sample pointwise run, else `scratch` (zero-initialised once) filled by im2col.
    func columns(_ x: UnsafePointer<Float>, run: Range<Int>, chunk: ChannelChunk,
                 scratch: UnsafeMutablePointer<Float>) -> (UnsafePointer<Float>, stride: Int) {
        let g = geometry
        if g.isPointwise && run.count == 1 {
            return (x + (run.lowerBound &* g.inChannels &+ chunk.channels.lowerBound) &* plane, plane)
        }
        im2col(x, g, samples: run, channels: chunk.channels, scratch, columnStride: runColumns)
        return (UnsafePointer(scratch), runColumns)
    }
}

/// Input channels of one group unfolded together, and where their rows start in the group's
/// patch (the column offset into the group's weight rows).
struct ChannelChunk {
    let channels: Range<Int>
    let rowOffset: Int

    func rows(_ rowsPerChannel: Int) -> Int { channels.count * rowsPerChannel }
}

/// y = conv(x, w) by im2col and one product per group and run of samples.
/// With `accumulate`, y += conv(x, w) instead.
func unfoldedConv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                           _ y: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry, accumulate: Bool = false) {
    let plan = UnfoldedConvPlan(geometry)
    let (xs, ws, ys) = (SharedPointer(x), SharedPointer(w), SharedPointer(y))
    Parallelism.run(plan.threadRanges) { _, range in
        withZeroedScratch(plan.columnScratchCount) { col in
            withScratch(plan.outputScratchCount) { out in
                for run in plan.runs(in: range) {
                    convForwardRun(xs.pointer, ws.pointer, ys.pointer, plan, run, col, out, accumulate: accumulate)
                }
            }
        }
    }
}

private func convForwardRun(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ plan: UnfoldedConvPlan, _ run: Range<Int>,
                            _ colScratch: UnsafeMutablePointer<Float>, _ outScratch: UnsafeMutablePointer<Float>,
                            accumulate: Bool) {
    let g = plan.geometry
    let columns = run.count * plan.plane
    let direct = run.count == 1
    let (out, outStride) = direct ? (y + run.lowerBound * g.outChannels * plan.plane, plan.plane) : (outScratch, plan.runColumns)
    let (cout, k) = (g.groupOutChannels, g.groupPatchSize)
    for group in 0..<g.groups {
        for (index, chunk) in plan.chunks(of: group, run: run).enumerated() {
            let (col, colStride) = plan.columns(x, run: run, chunk: chunk, scratch: colScratch)
            gemm(.no, .no, m: cout, n: columns, k: chunk.rows(plan.rowsPerChannel), w + group * cout * k + chunk.rowOffset,
                 lda: k, col, ldb: colStride, beta: index == 0 && !(direct && accumulate) ? 0 : 1,
                 out + group * cout * outStride, ldc: outStride)
        }
    }
    if !direct {
        copyRun(out, stride: outStride, toSamples: y, channels: g.outChannels, plane: plan.plane, run: run, accumulate: accumulate)
    }
}

/// The input and/or weight gradients by im2col, products and col2im.
func unfoldedConv2dBackward(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                            dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                            _ geometry: ConvGeometry) {
    let plan = UnfoldedConvPlan(geometry)
    let shared = (x: x.map(SharedPointer.init), w: w.map(SharedPointer.init), dy: SharedPointer(dy),
                  dx: dx.map(SharedPointer.init))
    runAccumulatingWeights(plan.threadRanges, into: dw, count: geometry.weightCount) { range, dwTarget in
        let scratch = UnfoldedScratch(plan, columns: dwTarget != nil, columnGradients: shared.dx != nil)
        for run in plan.runs(in: range) {
            convBackwardRun(x: shared.x?.pointer, shared.w?.pointer, shared.dy.pointer,
                            dx: shared.dx?.pointer, dw: dwTarget, plan, run, scratch)
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
        for chunk in plan.chunks(of: group, run: run) {
            let rows = chunk.rows(plan.rowsPerChannel)
            if let dw, let x {
                let (col, colStride) = plan.columns(x, run: run, chunk: chunk, scratch: scratch.columns)
                gemm(.no, .yes, m: cout, n: rows, k: columns, dyGroup, lda: dyStride, col, ldb: colStride,
                     beta: 1, dw + group * cout * k + chunk.rowOffset, ldc: k)
            }
            guard let dx, let w else { continue }
            let wChunk = w + group * cout * k + chunk.rowOffset
            if g.isPointwise && run.count == 1 {
                let dxChunk = dx + (run.lowerBound * g.inChannels + chunk.channels.lowerBound) * columns
                gemm(.yes, .no, m: rows, n: columns, k: cout, wChunk, lda: k, dyGroup, ldb: dyStride,
                     beta: 1, dxChunk, ldc: columns)
            } else {
                gemm(.yes, .no, m: rows, n: columns, k: cout, wChunk, lda: k, dyGroup, ldb: dyStride,
                     scratch.columnGradients, ldc: plan.runColumns)
                col2im(scratch.columnGradients, g, samples: run, channels: chunk.channels, dx, columnStride: plan.runColumns)
            }
        }
    }
}

/// Copies (or with `accumulate`, adds) a run's [channels, run·plane] matrix (row stride `stride`)
/// into its samples' NCHW slots.
private func copyRun(_ src: UnsafePointer<Float>, stride: Int, toSamples y: UnsafeMutablePointer<Float>,
                     channels: Int, plane: Int, run: Range<Int>, accumulate: Bool) {
    for (slot, s) in run.enumerated() {
        for c in 0..<channels {
            let from = src + (c &* stride &+ slot &* plane), to = y + (s &* channels &+ c) &* plane
            if accumulate {
                add(from, into: to, count: plane)
            } else {
                to.update(from: from, count: plane)
            }
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
