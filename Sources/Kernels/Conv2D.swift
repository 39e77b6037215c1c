/// 2-D convolution (cross-correlation, as in every deep-learning library) over NCHW buffers:
/// forward, backward-data and backward-weight, by im2col and one matrix product per group.
///
/// Samples are processed in runs (`ConvPlan.samplesPerRun`) so that small feature maps still give
/// wide products, and runs are split over `Parallelism.threads` threads. A 1x1 stride-1 convolution
/// of a single sample multiplies the input directly, without im2col.

/// How a convolution is cut into runs of samples.
public struct ConvPlan: Sendable {
    /// Columns (sample · output pixel) a product should have at least, when enough samples exist.
    public static let targetColumns = 1024

    public let geometry: ConvGeometry
    public let samplesPerRun: Int

    public init(_ geometry: ConvGeometry) {
        self.geometry = geometry
        let plane = geometry.outHeight * geometry.outWidth
        samplesPerRun = max(1, min(geometry.batch, (ConvPlan.targetColumns + plane - 1) / plane))
    }

    var plane: Int { geometry.outHeight * geometry.outWidth }
    var runColumns: Int { samplesPerRun * plane }
    var patchRows: Int { geometry.groups * geometry.groupPatchSize }

    /// The runs of samples in `range`.
    func runs(in range: Range<Int>) -> [Range<Int>] {
        stride(from: range.lowerBound, to: range.upperBound, by: samplesPerRun).map {
            $0 ..< min($0 + samplesPerRun, range.upperBound)
        }
    }

    /// Ranges of samples handed to the threads.
    var threadRanges: [Range<Int>] { Parallelism.split(count: geometry.batch) }

    /// The column matrix of a run: the input itself for a single-sample pointwise run, else
    /// `scratch` filled by im2col.
    func columns(_ x: UnsafePointer<Float>, run: Range<Int>, scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let g = geometry
        if g.isPointwise && run.count == 1 {
            return x + run.lowerBound &* g.inChannels &* g.height &* g.width
        }
        im2col(x, g, samples: run, scratch)
        return UnsafePointer(scratch)
    }
}

/// y = conv(x, w). `x` is [N, C, H, W], `w` is [Cout, C/groups, kh, kw], `y` is [N, Cout, Ho, Wo]
/// and is overwritten.
public func conv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                          _ y: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry) {
    let plan = ConvPlan(geometry)
    let (xs, ws, ys) = (SharedPointer(x), SharedPointer(w), SharedPointer(y))
    Parallelism.run(plan.threadRanges) { _, range in
        withScratch(plan.patchRows * plan.runColumns) { col in
            withScratch(geometry.outChannels * plan.runColumns) { out in
                for run in plan.runs(in: range) {
                    convForwardRun(xs.pointer, ws.pointer, ys.pointer, plan, run, col, out)
                }
            }
        }
    }
}

private func convForwardRun(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ plan: ConvPlan, _ run: Range<Int>,
                            _ colScratch: UnsafeMutablePointer<Float>, _ outScratch: UnsafeMutablePointer<Float>) {
    let g = plan.geometry
    let columns = run.count * plan.plane
    let col = plan.columns(x, run: run, scratch: colScratch)
    let direct = run.count == 1
    let out = direct ? y + run.lowerBound * g.outChannels * plan.plane : outScratch
    let (cout, k) = (g.groupOutChannels, g.groupPatchSize)
    for group in 0..<g.groups {
        gemm(.no, .no, m: cout, n: columns, k: k, w + group * cout * k, lda: k,
             col + group * k * columns, ldb: columns, out + group * cout * columns, ldc: columns)
    }
    if !direct { scatterRun(out, into: y, channels: g.outChannels, plane: plan.plane, run: run) }
}

/// dx += conv-transpose(dy, w): the gradient of the input.
public func conv2dBackwardData(_ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                               _ dx: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry) {
    conv2dBackward(x: nil, w, dy, dx: dx, dw: nil, geometry)
}

/// dw += the gradient of the weights given input `x` and output gradient `dy`.
public func conv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                 _ dw: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry) {
    conv2dBackward(x: x, nil, dy, dx: nil, dw: dw, geometry)
}

/// Accumulates the input gradient into `dx` and/or the weight gradient into `dw` in one pass over
/// `dy`. `x` is needed only for `dw`, `w` only for `dx`.
public func conv2dBackward(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                           dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                           _ geometry: ConvGeometry) {
    let plan = ConvPlan(geometry)
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
            withScratch(plan.patchRows * plan.runColumns) { col in
                withScratch(geometry.outChannels * plan.runColumns) { dyRun in
                    for run in plan.runs(in: range) {
                        convBackwardRun(x: shared.x?.pointer, shared.w?.pointer, shared.dy.pointer,
                                        dx: shared.dx?.pointer, dw: dwTarget, plan, run, col, dyRun)
                    }
                }
            }
        }
        if privateWeights, let dw {
            for part in 0..<ranges.count { add(partials + part * weightCount, into: dw, count: weightCount) }
        }
    }
}

private func convBackwardRun(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                             dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                             _ plan: ConvPlan, _ run: Range<Int>,
                             _ colScratch: UnsafeMutablePointer<Float>, _ dyScratch: UnsafeMutablePointer<Float>) {
    let g = plan.geometry
    let columns = run.count * plan.plane
    let (cout, k) = (g.groupOutChannels, g.groupPatchSize)
    let dyRun: UnsafePointer<Float>
    if run.count == 1 {
        dyRun = dy + run.lowerBound * g.outChannels * plan.plane
    } else {
        gatherRun(dy, into: dyScratch, channels: g.outChannels, plane: plan.plane, run: run)
        dyRun = UnsafePointer(dyScratch)
    }
    if let dw, let x {
        let col = plan.columns(x, run: run, scratch: colScratch)
        for group in 0..<g.groups {
            gemm(.no, .yes, m: cout, n: k, k: columns, dyRun + group * cout * columns, lda: columns,
                 col + group * k * columns, ldb: columns, beta: 1, dw + group * cout * k, ldc: k)
        }
    }
    if let dx, let w {
        if g.isPointwise && run.count == 1 {
            let dxSample = dx + run.lowerBound * g.inChannels * plan.plane
            for group in 0..<g.groups {
                gemm(.yes, .no, m: k, n: columns, k: cout, w + group * cout * k, lda: k,
                     dyRun + group * cout * columns, ldb: columns, beta: 1, dxSample + group * k * columns, ldc: columns)
            }
        } else {
            for group in 0..<g.groups {
                gemm(.yes, .no, m: k, n: columns, k: cout, w + group * cout * k, lda: k,
                     dyRun + group * cout * columns, ldb: columns, colScratch + group * k * columns, ldc: columns)
            }
            col2im(colScratch, g, samples: run, dx)
        }
    }
}

/// Copies a run's [channels, run·plane] matrix into its samples' NCHW slots.
private func scatterRun(_ src: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                        channels: Int, plane: Int, run: Range<Int>) {
    let columns = run.count &* plane
    for (slot, s) in run.enumerated() {
        for c in 0..<channels {
            let column = c &* columns &+ slot &* plane
            (y + (s &* channels &+ c) &* plane).update(from: src + column, count: plane)
        }
    }
}

/// Copies a run's samples from NCHW into a [channels, run·plane] matrix.
private func gatherRun(_ y: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                       channels: Int, plane: Int, run: Range<Int>) {
    let columns = run.count &* plane
    for (slot, s) in run.enumerated() {
        for c in 0..<channels {
            let column = c &* columns &+ slot &* plane
            (dst + column).update(from: y + (s &* channels &+ c) &* plane, count: plane)
        }
    }
}
