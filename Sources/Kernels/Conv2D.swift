/// 2-D convolution (cross-correlation, as in every deep-learning library) over NCHW buffers:
/// forward, backward-data and backward-weight, computed by im2col and matrix products
/// (`UnfoldedConv2D.swift`).

/// y = conv(x, w). `x` is [N, C, H, W], `w` is [Cout, C/groups, kh, kw], `y` is [N, Cout, Ho, Wo]
/// and is overwritten.
public func conv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ geometry: ConvGeometry) {
    unfoldedConv2dForward(x, w, y, geometry)
}

/// dx += conv-transpose(dy, w): the gradient of the input.
public func conv2dBackwardData(_ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                               _ geometry: ConvGeometry) {
    conv2dBackward(x: nil, w, dy, dx: dx, dw: nil, geometry)
}

/// dw += the gradient of the weights given input `x` and output gradient `dy`.
public func conv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                 _ geometry: ConvGeometry) {
    conv2dBackward(x: x, nil, dy, dx: nil, dw: dw, geometry)
}

/// Accumulates the input gradient into `dx` and/or the weight gradient into `dw` in one pass over
/// `dy`. `x` is needed only for `dw`, `w` only for `dx`.
public func conv2dBackward(x: UnsafePointer<Float>?, _ w: UnsafePointer<Float>?, _ dy: UnsafePointer<Float>,
                           dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?,
                           _ geometry: ConvGeometry) {
    unfoldedConv2dBackward(x: x, w, dy, dx: dx, dw: dw, geometry)
}

/// `range` cut into consecutive runs of at most `size` samples.
func sampleRuns(_ range: Range<Int>, size: Int) -> [Range<Int>] {
    stride(from: range.lowerBound, to: range.upperBound, by: size).map { $0 ..< min($0 + size, range.upperBound) }
}
