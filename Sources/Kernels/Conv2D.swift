/// 2-D convolution (cross-correlation, as in every deep-learning library) over NCHW buffers:
/// forward, backward-data and backward-weight, computed by Winograd's F(2x2, 3x3) on 3x3
/// stride-1 convolutions with enough channels (`WinogradConv2D.swift`; dilated ones on their
/// sub-grids, `SubgridWinograd.swift`, where the faster paths below do not apply), by discrete Fourier
/// transforms on stride-1 convolutions where that saves enough multiply-adds
/// (`FourierConv2D.swift`: large and dilated kernels on enough channels), by direct kernels on
/// other stride-1 spatial convolutions with few output channels per group
/// (`DirectConv2D.swift`), and otherwise by im2col and matrix products (`UnfoldedConv2D.swift`);
/// a 1x1 convolution of channels that lie apart, optionally activated, by its own kernel
/// (`PointwiseConv2D.swift`).
/// At stride 1 the input gradient is itself a forward convolution of the output gradient with
/// the flipped, transposed kernel (`TransposedConvolution`), which unfolds the output gradient's
/// channels instead of building the input's column gradient.

/// y = conv(x, w). `x` is [N, C, H, W], `w` is [Cout, C/groups, kh, kw], `y` is [N, Cout, Ho, Wo]
/// and is overwritten.
public func conv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ geometry: ConvGeometry) {
    convolve(x, w, y, geometry, accumulate: false)
}

/// y = conv(x, w), or y += conv(x, w) with `accumulate`, by Winograd's algorithm, Fourier
/// transforms, the direct kernels or Winograd's algorithm on sub-grids where they apply
/// (`WinogradPlan`, `FourierConvPlan`, `DirectConvPlan`, `SubgridWinogradPlan`, in that order), a
/// 1x1 convolution by the pointwise kernel where it outruns OpenBLAS
/// (`PointwisePlan.outrunsOpenBLAS`), else by im2col.
private func convolve(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                      _ geometry: ConvGeometry, accumulate: Bool) {
    if let plan = WinogradPlan(geometry) {
        winogradConv2dForward(x, w, y, plan, accumulate: accumulate)
    } else if let plan = FourierConvPlan(geometry) {
        fourierConv2dForward(x, w, y, plan, accumulate: accumulate)
    } else if let plan = DirectConvPlan(geometry) {
        directConv2dForward(x, w, y, plan, accumulate: accumulate)
    } else if let plan = SubgridWinogradPlan(geometry) {
        subgridWinogradForward(x, w, y, plan, accumulate: accumulate)
    } else if PointwisePlan.outrunsOpenBLAS, let plan = PointwisePlan(geometry) {
        pointwiseConv2dForward(ChannelRows(x, channels: geometry.inChannels, plane: plan.plane), w, y, plan, relu: false,
                               accumulate: accumulate)
    } else {
        unfoldedConv2dForward(x, w, y, geometry, accumulate: accumulate)
    }
}

/// y = conv(x, w), with `relu` y = max(conv(x, w), 0), for a convolution that
/// `readsChannelsInPlace`, its input channels where `x` says (a concatenation need not be built).
public func conv2dForward(_ x: ChannelRows, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry,
                          relu: Bool = false) {
    guard let plan = PointwisePlan(geometry) else { preconditionFailure("conv2dForward(ChannelRows) needs a 1x1 stride-1 convolution without padding") }
    pointwiseConv2dForward(x, w, y, plan, relu: relu)
}

extension ConvGeometry {
    /// Whether the forward pass can read its input channels where they lie (`ChannelRows`):
    /// a 1x1 convolution with stride 1 and no padding.
    public var readsChannelsInPlace: Bool { PointwisePlan(self) != nil }
}

/// dx += conv-transpose(dy, w): the gradient of the input (with `overwritingDx`, dx = ...).
public func conv2dBackwardData(_ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                               _ geometry: ConvGeometry, overwritingDx: Bool = false) {
    conv2dBackward(x: nil, w, dy, dx: dx, dw: nil, geometry, overwritingDx: overwritingDx)
}

/// dw += the gradient of the weights given input `x` and output gradient `dy`.
public func conv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                 _ geometry: ConvGeometry) {
    conv2dBackward(x: x, nil, dy, dx: nil, dw: dw, geometry)
}

/// Accumulates the input gradient into `dx` (with `overwritingDx`, writes it over whatever `dx`
/// holds) and/or the weight gradient into `dw` in one pass over `dy`. `x` is needed only for
/// `dw`, `w` only for `dx`.
public func conv2dBackward(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                           dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                           _ geometry: ConvGeometry, overwritingDx: Bool = false) {
    let transposed = TransposedConvolution(geometry), winograd = WinogradPlan(geometry)
    let fourier = winograd == nil ? FourierConvPlan(geometry) : nil
    let direct = winograd == nil && fourier == nil ? DirectConvPlan(geometry) : nil
    let subgrid = winograd == nil && fourier == nil && direct == nil ? SubgridWinogradPlan(geometry) : nil
    let pointwise = PointwisePlan.outrunsOpenBLAS ? PointwisePlan(geometry) : nil
    // im2col's backward covers whatever the faster paths do not, both gradients in one pass.
    let unfoldedDx = transposed == nil ? dx : nil
    let unfoldedDw = direct == nil && winograd == nil && fourier == nil && subgrid == nil && pointwise == nil ? dw : nil
    if let unfoldedDx, overwritingDx { setZero(unfoldedDx, count: geometry.inputCount) }
    if unfoldedDx != nil || unfoldedDw != nil {
        unfoldedConv2dBackward(x: x, w, dy, dx: unfoldedDx, dw: unfoldedDw, geometry)
    }
    if let dx, let w, let transposed { transposed.inputGradient(w, dy, into: dx, accumulate: !overwritingDx) }
    if let dw, let x, let winograd { winogradConv2dBackwardWeight(x, dy, dw, winograd) }
    if let dw, let x, let fourier { fourierConv2dBackwardWeight(x, dy, dw, fourier) }
    if let dw, let x, let direct { directConv2dBackwardWeight(x, dy, dw, direct) }
    if let dw, let x, let subgrid { subgridWinogradBackwardWeight(x, dy, dw, subgrid) }
    if let dw, let x, let pointwise {
        pointwiseConv2dBackwardWeight(ChannelRows(x, channels: geometry.inChannels, plane: pointwise.plane), dy, dw, pointwise)
    }
}

/// dw += the weight gradient of a convolution that `readsChannelsInPlace`, its input channels
/// where `x` says: by the pointwise kernel where it outruns OpenBLAS
/// (`PointwisePlan.outrunsOpenBLAS`), else on the channels joined into a scratch buffer.
public func conv2dBackwardWeight(_ x: ChannelRows, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                 _ geometry: ConvGeometry) {
    guard let plan = PointwisePlan(geometry), x.channels == geometry.inChannels, x.plane == plan.plane else {
        preconditionFailure("conv2dBackwardWeight(ChannelRows) needs a 1x1 stride-1 convolution without padding of its channels")
    }
    if PointwisePlan.outrunsOpenBLAS {
        pointwiseConv2dBackwardWeight(x, dy, dw, plan)
    } else {
        x.withJoined(samples: geometry.batch) { conv2dBackward(x: $0, nil, dy, dx: nil, dw: dw, geometry) }
    }
}

/// The input gradient of a stride-1 convolution as a forward convolution: dx = conv(dy, w′), where
/// w′[g·in/g + i][o][kh−1−a][kw−1−b] = w[g·out/g + o][i][a][b], with padding d·(k−1) − pad per axis.
struct TransposedConvolution {
    let original: ConvGeometry
    let geometry: ConvGeometry

    /// Nil unless the convolution has stride 1 and padding at most d·(k−1) per axis.
    init?(_ g: ConvGeometry) {
        let padY = g.dilationY * (g.kernelHeight - 1) - g.padY, padX = g.dilationX * (g.kernelWidth - 1) - g.padX
        guard g.strideY == 1, g.strideX == 1, padY >= 0, padX >= 0 else { return nil }
        original = g
        geometry = ConvGeometry(batch: g.batch, inChannels: g.outChannels, outChannels: g.inChannels,
                                height: g.outHeight, width: g.outWidth, kernelHeight: g.kernelHeight,
                                kernelWidth: g.kernelWidth, padY: padY, padX: padX,
                                dilationY: g.dilationY, dilationX: g.dilationX, groups: g.groups)
    }

    /// dx += conv(dy, w′), or without `accumulate` dx = conv(dy, w′).
    func inputGradient(_ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, accumulate: Bool) {
        withScratch(original.weightCount) { flipped in
            flipTransposed(w, into: flipped)
            convolve(dy, flipped, dx, geometry, accumulate: accumulate)
        }
    }

    private func flipTransposed(_ w: UnsafePointer<Float>, into flipped: UnsafeMutablePointer<Float>) {
        let g = original
        let (cout, cin, kh, kw) = (g.groupOutChannels, g.groupInChannels, g.kernelHeight, g.kernelWidth)
        let taps = kh &* kw
        for group in 0..<g.groups {
            for o in 0..<cout {
                for i in 0..<cin {
                    let src = w + ((group &* cout &+ o) &* cin &+ i) &* taps
                    let dst = flipped + ((group &* cin &+ i) &* cout &+ o) &* taps
                    for t in 0..<taps { dst[taps &- 1 &- t] = src[t] }
                }
            }
        }
    }
}

/// Runs `body(range, dw)` for each of `ranges` on its own thread, where `dw` is where that range
/// accumulates its weight gradient: `weights` itself for a single range, else a private zeroed
/// buffer per range, all added into `weights` afterwards (no two threads add into the same
/// floats). With `weights` nil, `body` gets nil.
func runAccumulatingWeights(_ ranges: [Range<Int>], into weights: UnsafeMutablePointer<Float>?, count: Int,
                            _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Float>?) -> Void) {
    let privateWeights = weights != nil && ranges.count > 1
    withZeroedScratch(privateWeights ? ranges.count * count : 0) { partials in
        let (shared, target) = (SharedPointer(partials), weights.map(SharedPointer.init))
        Parallelism.run(ranges) { part, range in
            body(range, privateWeights ? shared.pointer + part * count : target?.pointer)
        }
        if privateWeights, let weights {
            for part in 0..<ranges.count { add(partials + part * count, into: weights, count: count) }
        }
    }
}

/// `range` cut into the fewest consecutive runs of at most `size` samples, their lengths
/// differing by at most one (25 samples in runs of up to 11 make 8, 8 and 9, not 11, 11 and 3).
func sampleRuns(_ range: Range<Int>, size: Int) -> [Range<Int>] {
    let runs = (range.count + size - 1) / size
    return (0..<runs).map { range.lowerBound + range.count * $0 / runs ..< range.lowerBound + range.count * ($0 + 1) / runs }
}
