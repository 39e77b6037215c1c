/// Division of a whole tensor by its Frobenius norm: the simplified WeightNorm of the SMASH paper.

/// y = x / ‖x‖ and returns ‖x‖ (floored at `epsilon` so a zero tensor stays finite).
public func frobeniusNormalizeForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                      count: Int, epsilon: Float = 1e-12) -> Float {
    let norm = max(Float(sumOfSquares(x, count: count).squareRoot()), epsilon)
    scaleForward(x, y, count: count, by: 1 / norm)
    return norm
}

/// dx += (dy − y·⟨dy, y⟩) / ‖x‖, given the output y and the norm returned by the forward pass.
public func frobeniusNormalizeBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                       _ dx: UnsafeMutablePointer<Float>, count: Int, norm: Float) {
    let dot = blockSum(count: count, vector: { loadVector(dy + $0) * loadVector(y + $0) }, scalar: { dy[$0] * y[$0] })
    let inner = Float(dot), scale = 1 / norm
    for i in 0..<count { dx[i] += scale * (dy[i] - y[i] * inner) }
}
