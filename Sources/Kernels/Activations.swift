/// Pointwise nonlinearities, forward and backward.

/// y = max(x, 0).
public func reluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    Parallelism.forEachSpan(count) { span in
        for i in span { y[i] = max(x[i], 0) }
    }
}

/// dx += dy where x > 0 (with `overwrite`, dx = dy where x > 0, else 0). Both operands are
/// loaded unconditionally so the loop vectorises.
public func reluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int,
                         overwrite: Bool = false) {
    Parallelism.forEachSpan(count) { span in
        if overwrite {
            for i in span { let g = dy[i]; dx[i] = x[i] > 0 ? g : 0 }
        } else {
            for i in span { let g = dy[i]; dx[i] += x[i] > 0 ? g : 0 }
        }
    }
}

/// y = x where x > 0, else slope * x.
public func leakyReLUForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
    Parallelism.forEachSpan(count) { span in
        for i in span { let v = x[i]; y[i] = v > 0 ? v : slope * v }
    }
}

/// dx += dy * (x > 0 ? 1 : slope). For a slope of zero or more, the output may stand in for `x`.
public func leakyReLUBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                              count: Int, slope: Float) {
    Parallelism.forEachSpan(count) { span in
        for i in span { let g = dy[i]; dx[i] += x[i] > 0 ? g : slope * g }
    }
}
