/// Average pooling over NCHW planes, forward and backward.

/// 2x2 average pooling with stride 2 over `planes` planes of height x width; an odd last row or
/// column is dropped. `y` has `planes · (height/2) · (width/2)` values.
public func avgPool2x2Forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                              planes: Int, height: Int, width: Int) {
    let oh = height / 2, ow = width / 2
    Parallelism.forEachItem(planes, length: height &* width) { p in
        let src = x + p &* height &* width, dst = y + p &* oh &* ow
        for i in 0..<oh {
            let r0 = src + (2 &* i) &* width, r1 = r0 + width, out = dst + i &* ow
            for j in 0..<ow {
                let c = 2 &* j
                out[j] = 0.25 * (r0[c] + r0[c &+ 1] + r1[c] + r1[c &+ 1])
            }
        }
    }
}

/// dx += the 2x2 average-pooling adjoint of dy. With `overwrite`, dx = ... instead, which
/// writes every element only when height and width are even.
public func avgPool2x2Backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                               planes: Int, height: Int, width: Int, overwrite: Bool = false) {
    let oh = height / 2, ow = width / 2
    Parallelism.forEachItem(planes, length: height &* width) { p in
        let dst = dx + p &* height &* width, src = dy + p &* oh &* ow
        for i in 0..<oh {
            let r0 = dst + (2 &* i) &* width, r1 = r0 + width, g = src + i &* ow
            if overwrite {
                for j in 0..<ow {
                    let v = 0.25 * g[j], c = 2 &* j
                    r0[c] = v; r0[c &+ 1] = v; r1[c] = v; r1[c &+ 1] = v
                }
            } else {
                for j in 0..<ow {
                    let v = 0.25 * g[j], c = 2 &* j
                    r0[c] += v; r0[c &+ 1] += v; r1[c] += v; r1[c &+ 1] += v
                }
            }
        }
    }
}

/// y[p] = mean of plane p (size `planeSize`), for `planes` planes.
public func globalAvgPoolForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int, planeSize: Int) {
    let scale = 1 / Float(planeSize)
    for p in 0..<planes { y[p] = Float(sum(x + p &* planeSize, count: planeSize)) * scale }
}

/// dx[p, i] += dy[p] / planeSize.
public func globalAvgPoolBackward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, planes: Int, planeSize: Int) {
    let scale = 1 / Float(planeSize)
    for p in 0..<planes {
        let dst = dx + p &* planeSize, g = dy[p] * scale
        for i in 0..<planeSize { dst[i] += g }
    }
}
