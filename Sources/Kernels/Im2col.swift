/// im2col and col2im over a run of samples and a range of input channels (one group's), for
/// convolution as matrix products.
///
/// The column matrix has one row per (input channel, kernel row, kernel column) and one column per
/// (sample, output row, output column), so that one product covers the whole run of samples.
/// Only in-bounds taps are touched: padding positions of the column matrix stay zero.

/// Writes the in-bounds taps of the column matrix of `channels` of `samples` of `x` into `col`
/// ([channels.count·kh·kw rows of `columnStride` floats, samples.count·Ho·Wo of them used]).
///
/// Taps that fall in the padding are not written: they must already be zero. A buffer zeroed once
/// and reused with the same geometry and stride keeps them zero.
public func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, samples: Range<Int>, channels: Range<Int>,
                   _ col: UnsafeMutablePointer<Float>, columnStride: Int) {
    let plane = g.outHeight &* g.outWidth, inPlane = g.height &* g.width
    forEachTap(g, channels: channels) { row, tap in
        for (slot, s) in samples.enumerated() {
            let src = UnsafePointer(x + (s &* g.inChannels &+ row.channel) &* inPlane)
            let dst = col + (row.index &* columnStride &+ slot &* plane)
            if let span = tap.span {
                for p in span { dst[p] = src[p &+ tap.rowOrigin] }
                tap.forEachEdge(in: span) { dst[$0] = 0 }
            } else {
                tap.forEachRow { outOffset, inOffset in
                    let d = dst + outOffset, from = src + inOffset
                    if g.strideX == 1 {
                        for ow in tap.columns { d[ow] = from[ow] }
                    } else {
                        for ow in tap.columns { d[ow] = from[ow &* g.strideX] }
                    }
                }
            }
        }
    }
}

/// Adds the in-bounds taps of the column matrix `col` (row stride `columnStride`) of `channels` of
/// `samples` into `dx`: the adjoint of `im2col`. Padding positions of `col` are set to zero on the
/// way (they carry no gradient), which lets whole rows be added in one pass.
public func col2im(_ col: UnsafeMutablePointer<Float>, _ g: ConvGeometry, samples: Range<Int>, channels: Range<Int>,
                   _ dx: UnsafeMutablePointer<Float>, columnStride: Int) {
    let plane = g.outHeight &* g.outWidth, inPlane = g.height &* g.width
    forEachTap(g, channels: channels) { row, tap in
        for (slot, s) in samples.enumerated() {
            let dst = dx + (s &* g.inChannels &+ row.channel) &* inPlane
            let src = col + (row.index &* columnStride &+ slot &* plane)
            if let span = tap.span {
                tap.forEachEdge(in: span) { src[$0] = 0 }
                for p in span { dst[p &+ tap.rowOrigin] += src[p] }
            } else {
                tap.forEachRow { outOffset, inOffset in
                    let from = src + outOffset, d = dst + inOffset
                    if g.strideX == 1 {
                        for ow in tap.columns { d[ow] += from[ow] }
                    } else {
                        for ow in tap.columns { d[ow &* g.strideX] += from[ow] }
                    }
                }
            }
        }
    }
}

/// A row of the column matrix: which input channel it reads and its index among the rows.
struct ColumnRow {
    let channel: Int
    let index: Int
}

/// The output positions one kernel tap reads in bounds, and how output maps to input.
struct TapWindow {
    let geometry: ConvGeometry
    /// Output rows and columns whose input lies inside the image.
    let rows: Range<Int>
    let columns: Range<Int>
    /// Input offset of output row `oh`'s column 0: `(oh·strideY − padY + ki·dilY)·W + kj·dilX − padX`.
    let rowOrigin: Int
    let rowStep: Int
    /// The output positions from the first to the last in-bounds tap, when output and input rows
    /// line up (stride 1, equal widths), so that input index = output index + `rowOrigin`.
    /// Positions in it but outside `columns` are edges.
    let span: Range<Int>?

    init(_ g: ConvGeometry, ki: Int, kj: Int) {
        geometry = g
        rows = validOutputRange(out: g.outHeight, input: g.height, pad: g.padY, offset: ki &* g.dilationY, stride: g.strideY)
        columns = validOutputRange(out: g.outWidth, input: g.width, pad: g.padX, offset: kj &* g.dilationX, stride: g.strideX)
        rowOrigin = (ki &* g.dilationY &- g.padY) &* g.width &+ kj &* g.dilationX &- g.padX
        rowStep = g.strideY &* g.width
        let aligned = g.strideY == 1 && g.strideX == 1 && g.outWidth == g.width
        if aligned && !rows.isEmpty && !columns.isEmpty {
            span = (rows.lowerBound &* g.outWidth &+ columns.lowerBound) ..< ((rows.upperBound &- 1) &* g.outWidth &+ columns.upperBound)
        } else {
            span = nil
        }
    }

    /// Calls `body(outputOffset, inputOffset)` for each in-bounds output row.
    @inline(__always)
    func forEachRow(_ body: (Int, Int) -> Void) {
        for oh in rows { body(oh &* geometry.outWidth, oh &* rowStep &+ rowOrigin) }
    }

    /// Calls `body` with each position inside `span` whose column is out of bounds.
    @inline(__always)
    func forEachEdge(in span: Range<Int>, _ body: (Int) -> Void) {
        let width = geometry.outWidth
        guard columns.count < width else { return }
        for oh in rows {
            let start = oh &* width
            for ow in 0..<columns.lowerBound where span.contains(start &+ ow) { body(start &+ ow) }
            for ow in columns.upperBound..<width where span.contains(start &+ ow) { body(start &+ ow) }
        }
    }
}

/// Calls `body` for every (channel, kernel row, kernel column) row of the column matrix.
@inline(__always)
func forEachTap(_ g: ConvGeometry, channels: Range<Int>, _ body: (ColumnRow, TapWindow) -> Void) {
    let windows = (0..<g.kernelHeight).flatMap { ki in (0..<g.kernelWidth).map { kj in TapWindow(g, ki: ki, kj: kj) } }
    for c in channels {
        let base = (c &- channels.lowerBound) &* windows.count
        for (t, window) in windows.enumerated() { body(ColumnRow(channel: c, index: base &+ t), window) }
    }
}

/// The output positions `o` whose input coordinate `o·stride − pad + offset` lies in `0..<input`.
@inline(__always)
public func validOutputRange(out: Int, input: Int, pad: Int, offset: Int, stride: Int) -> Range<Int> {
    let shift = offset - pad  // input coordinate = o·stride + shift
    let low = shift >= 0 ? 0 : (-shift + stride - 1) / stride
    let lastInput = input - 1 - shift
    let high = lastInput < 0 ? 0 : lastInput / stride + 1
    let lower = min(low, out), upper = min(high, out)
    return lower..<max(lower, upper)
}
