/// Pointwise nonlinearities, forward and backward.

/// y = max(x, 0).
public func reluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = max(x[i], 0) }
}

/// dx += dy where x > 0.
public func reluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { dx[i] += x[i] > 0 ? dy[i] : 0 }
}

/// y = x where x > 0, else slope * x.
public func leakyReLUForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
    for i in 0..<count { let v = x[i]; y[i] = v > 0 ? v : slope * v }
}

/// dx += dy * (x > 0 ? 1 : slope).
public func leakyReLUBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                              count: Int, slope: Float) {
    for i in 0..<count { dx[i] += x[i] > 0 ? dy[i] : slope * dy[i] }
}
