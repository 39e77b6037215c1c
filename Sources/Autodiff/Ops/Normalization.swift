import Kernels

extension Tensor {
    /// The tensor divided by its Frobenius norm (the SMASH paper's simplified WeightNorm).
    public func frobeniusNormalized() -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        let norm = frobeniusNormalizeForward(data, out.data, count: count)
        out.recordBackward(from: self) { [count] dy, dx in frobeniusNormalizeBackward(out.data, dy, dx, count: count, norm: norm) }
        return out
    }
}
