/// Elementwise kernels. Backward functions accumulate (`+=`) so that several consumers of one
/// tensor can add their gradients into the same buffer.

/// x = 0, over the threads for long buffers (`Parallelism.forEachSpan`): zeroing gradient and
/// scratch buffers is a pass over memory like any other elementwise kernel.
public func setZero(_ x: UnsafeMutablePointer<Float>, count: Int) {
    Parallelism.forEachSpan(count) { span in
        (x + span.lowerBound).update(repeating: 0, count: span.count)
    }
}

/// y = a + b.
public func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    Parallelism.forEachSpan(count) { span in
        for i in span { y[i] = a[i] + b[i] }
    }
}

/// dst += src.
public func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
    Parallelism.forEachSpan(count) { span in
        for i in span { dst[i] += src[i] }
    }
}

/// dst = src, or dst += src with `accumulate`.
public func copy(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
    guard accumulate else {
        return Parallelism.forEachSpan(count) { span in (dst + span.lowerBound).update(from: src + span.lowerBound, count: span.count) }
    }
    add(src, into: dst, count: count)
}

/// dst += alpha * src.
@inline(__always)
public func addScaled(_ src: UnsafePointer<Float>, _ alpha: Float, into dst: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { dst[i] += alpha * src[i] }
}

/// y = a * b.
public func mulForward(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = a[i] * b[i] }
}

/// da += dy * b (call with the operands swapped for db).
public func mulBackward(_ dy: UnsafePointer<Float>, _ other: UnsafePointer<Float>,
                        _ da: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { da[i] += dy[i] * other[i] }
}

/// y = s * x.
public func scaleForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, by s: Float) {
    for i in 0..<count { y[i] = s * x[i] }
}

/// dx += s * dy.
public func scaleBackward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int, by s: Float) {
    addScaled(dy, s, into: dx, count: count)
}

/// The sum of `count` values (`blockSum`).
public func sum(_ x: UnsafePointer<Float>, count: Int) -> Double {
    blockSum(count: count, vector: { loadVector(x + $0) }, scalar: { x[$0] })
}

/// The sum of squares of `count` values (`blockSum`).
public func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    blockSum(count: count, vector: { let v = loadVector(x + $0); return v * v }, scalar: { x[$0] * x[$0] })
}

/// y[r, c] = x[r, c] + bias[c] for a [rows, columns] matrix.
public func addBiasForward(_ x: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           rows: Int, columns: Int) {
    for r in 0..<rows {
        let offset = r &* columns
        for c in 0..<columns { y[offset &+ c] = x[offset &+ c] + bias[c] }
    }
}

/// dbias[c] += Σ_r dy[r, c].
public func addBiasBackward(_ dy: UnsafePointer<Float>, _ dbias: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows { add(dy + r &* columns, into: dbias, count: columns) }
}
