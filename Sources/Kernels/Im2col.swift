/// im2col and col2im over a run of samples, for convolution as matrix products.
///
/// The column matrix of samples `s0..<s1` has one row per (input channel, kernel row, kernel
/// column) and one column per (sample, output row, output column), so that a group's rows are
/// contiguous and one product covers the whole run of samples.

/// Writes the column matrix of `samples` of `x` into `col` ([C·kh·kw, samples.count·Ho·Wo]).
/// Taps that fall in the padding become zeros.
public func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, samples: Range<Int>,
                   _ col: UnsafeMutablePointer<Float>) {
    let outH = g.outHeight, outW = g.outWidth, plane = outH &* outW
    let columns = samples.count &* plane
    let inPlane = g.height &* g.width
    for c in 0..<g.inChannels {
        for ki in 0..<g.kernelHeight {
            let rowsValid = validOutputRange(out: outH, input: g.height, pad: g.padY,
                                             offset: ki &* g.dilationY, stride: g.strideY)
            for kj in 0..<g.kernelWidth {
                let colsValid = validOutputRange(out: outW, input: g.width, pad: g.padX,
                                                 offset: kj &* g.dilationX, stride: g.strideX)
                let row = (c &* g.kernelHeight &+ ki) &* g.kernelWidth &+ kj
                let rowStart = col + row &* columns
                for (slot, s) in samples.enumerated() {
                    let src = x + (s &* g.inChannels &+ c) &* inPlane
                    let dst = rowStart + slot &* plane
                    for oh in 0..<outH {
                        let d = dst + oh &* outW
                        guard rowsValid.contains(oh) else {
                            d.update(repeating: 0, count: outW)
                            continue
                        }
                        let ih = oh &* g.strideY &- g.padY &+ ki &* g.dilationY
                        let srcRow = src + (ih &* g.width &+ kj &* g.dilationX &- g.padX)
                        for ow in 0..<colsValid.lowerBound { d[ow] = 0 }
                        if g.strideX == 1 {
                            for ow in colsValid { d[ow] = srcRow[ow] }
                        } else {
                            for ow in colsValid { d[ow] = srcRow[ow &* g.strideX] }
                        }
                        for ow in colsValid.upperBound..<outW { d[ow] = 0 }
                    }
                }
            }
        }
    }
}

/// Adds the column matrix `col` of `samples` back into `dx` (the adjoint of `im2col`).
public func col2im(_ col: UnsafePointer<Float>, _ g: ConvGeometry, samples: Range<Int>,
                   _ dx: UnsafeMutablePointer<Float>) {
    let outH = g.outHeight, outW = g.outWidth, plane = outH &* outW
    let columns = samples.count &* plane
    let inPlane = g.height &* g.width
    for c in 0..<g.inChannels {
        for ki in 0..<g.kernelHeight {
            let rowsValid = validOutputRange(out: outH, input: g.height, pad: g.padY,
                                             offset: ki &* g.dilationY, stride: g.strideY)
            for kj in 0..<g.kernelWidth {
                let colsValid = validOutputRange(out: outW, input: g.width, pad: g.padX,
                                                 offset: kj &* g.dilationX, stride: g.strideX)
                let row = (c &* g.kernelHeight &+ ki) &* g.kernelWidth &+ kj
                let rowStart = col + row &* columns
                for (slot, s) in samples.enumerated() {
                    let dst = dx + (s &* g.inChannels &+ c) &* inPlane
                    let src = rowStart + slot &* plane
                    for oh in rowsValid {
                        let ih = oh &* g.strideY &- g.padY &+ ki &* g.dilationY
                        let dstRow = dst + (ih &* g.width &+ kj &* g.dilationX &- g.padX)
                        let srcRow = src + oh &* outW
                        if g.strideX == 1 {
                            for ow in colsValid { dstRow[ow] += srcRow[ow] }
                        } else {
                            for ow in colsValid { dstRow[ow &* g.strideX] += srcRow[ow] }
                        }
                    }
                }
            }
        }
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
