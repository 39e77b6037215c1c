/// Dilated 3x3 convolutions by Winograd's algorithm. With dilation d and padding d per axis (the
/// size-keeping convolutions of SMASH's ops), output pixel a + d·j reads only inputs a + d·i on
/// the same sub-grid, so the convolution is d_y·d_x undilated 3x3 convolutions with padding 1,
/// one per sub-grid, on images d times smaller: the sub-grids are gathered into samples of their
/// own, convolved by `WinogradPlan`, and scattered back. A sub-grid short of the others (a size
/// that d does not divide) takes zeros past the image's edge, which the padding of the original
/// convolution holds there, and its outputs past the edge are dropped.

/// How a dilated convolution maps onto Winograd's undilated one.
struct SubgridWinogradPlan: Sendable {
    let geometry: ConvGeometry
    /// The undilated convolution of the sub-grids, each a sample of its own.
    let inner: WinogradPlan

    /// Nil unless `geometry` is a dilated 3x3, stride-1, ungrouped convolution with padding
    /// equal to its dilation on both axes whose sub-grids Winograd runs (`WinogradPlan`) in
    /// whole vectors of tiles. Narrower sub-grids leave lanes empty and ran slower than im2col
    /// (48 -> 48 channels at 32x32, batch 50, two threads, forward and backward: dilation 2
    /// 22.4 against 29.2 ms, but dilation 3, eleven columns a sub-grid, 34.9 against 29.9 ms;
    /// 64 channels at 16x16, dilation (2, 3): 19.5 against 13.3 ms).
    init?(_ geometry: ConvGeometry) {
        let g = geometry
        guard g.kernelHeight == 3, g.kernelWidth == 3, g.strideY == 1, g.strideX == 1, g.groups == 1,
              g.dilationY > 1 || g.dilationX > 1, g.padY == g.dilationY, g.padX == g.dilationX else { return nil }
        let inner = ConvGeometry(batch: g.batch * g.dilationY * g.dilationX, inChannels: g.inChannels, outChannels: g.outChannels,
                                 height: (g.height + g.dilationY - 1) / g.dilationY, width: (g.width + g.dilationX - 1) / g.dilationX,
                                 kernelHeight: 3, kernelWidth: 3, padY: 1, padX: 1)
        guard let plan = WinogradPlan(inner), plan.tilesX % Winograd.lanes == 0 else { return nil }
        self.geometry = g
        self.inner = plan
    }

    /// Copies the sub-grids of every sample's `channels` planes of `src` into samples of their
    /// own in `dst` (sample n's sub-grid (a, b) becomes sample (n·d_y + a)·d_x + b), zero past
    /// the image.
    func gather(_ src: UnsafePointer<Float>, channels: Int, into dst: UnsafeMutablePointer<Float>) {
        let (s, d) = (SharedPointer(src), SharedPointer(dst))
        forEachSubgridRow(channels: channels) { source, target, count, stride, width in
            let from = s.pointer + source, to = d.pointer + target
            for j in 0..<count { to[j] = from[j &* stride] }
            if count < width { (to + count).initialize(repeating: 0, count: width &- count) }
        }
    }

    /// Writes (with `accumulate`, adds) the sub-grid samples' `channels` planes of `src` back
    /// into the image planes of `dst`.
    func scatter(_ src: UnsafePointer<Float>, channels: Int, into dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let (s, d) = (SharedPointer(src), SharedPointer(dst))
        forEachSubgridRow(channels: channels) { image, subgrid, count, stride, _ in
            let from = s.pointer + subgrid, to = d.pointer + image
            if accumulate {
                for j in 0..<count { to[j &* stride] += from[j] }
            } else {
                for j in 0..<count { to[j &* stride] = from[j] }
            }
        }
    }

    /// Calls `body(imageOffset, subgridOffset, count, stride, subgridWidth)` for every row of
    /// every sub-grid plane: the row's `count` pixels lie `stride` apart in the image from
    /// `imageOffset`, and in a row of `subgridWidth` from `subgridOffset`. Rows past the image
    /// come with a count of zero. Samples are split over the threads.
    private func forEachSubgridRow(channels: Int, _ body: (Int, Int, Int, Int, Int) -> Void) {
        let g = geometry, (dy, dx) = (g.dilationY, g.dilationX)
        let (height, width) = (inner.geometry.height, inner.geometry.width)
        Parallelism.forEachIndex(g.batch) { n in
            for c in 0..<channels {
                let plane = (n &* channels &+ c) &* g.height &* g.width
                for a in 0..<dy {
                    for b in 0..<dx {
                        let sample = (n &* dy &+ a) &* dx &+ b
                        let subgridPlane = (sample &* channels &+ c) &* height &* width
                        let count = (g.width &- b &+ dx &- 1) / dx
                        for i in 0..<height {
                            let row = a &+ i &* dy
                            body(plane &+ row &* g.width &+ b, subgridPlane &+ i &* width, row < g.height ? count : 0, dx, width)
                        }
                    }
                }
            }
        }
    }
}

/// y = conv(x, w), or y += conv(x, w) with `accumulate`, for a geometry `plan` accepts.
func subgridWinogradForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ plan: SubgridWinogradPlan, accumulate: Bool) {
    let inner = plan.inner.geometry
    withScratch(inner.inputCount) { xs in
        withScratch(inner.outputCount) { ys in
            plan.gather(x, channels: inner.inChannels, into: xs)
            winogradConv2dForward(xs, w, ys, plan.inner, accumulate: false)
            plan.scatter(ys, channels: inner.outChannels, into: y, accumulate: accumulate)
        }
    }
}

/// dw += the weight gradient of a convolution `plan` accepts, given its input `x` and output
/// gradient `dy`.
func subgridWinogradBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                   _ plan: SubgridWinogradPlan) {
    let inner = plan.inner.geometry
    withScratch(inner.inputCount) { xs in
        withScratch(inner.outputCount) { dys in
            plan.gather(x, channels: inner.inChannels, into: xs)
            plan.gather(dy, channels: inner.outChannels, into: dys)
            winogradConv2dBackwardWeight(xs, dys, dw, plan.inner)
        }
    }
}
