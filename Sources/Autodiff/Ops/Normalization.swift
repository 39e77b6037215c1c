import Kernels

extension Tensor {
    /// The tensor divided by its Frobenius norm (the SMASH paper's simplified WeightNorm).
    public func frobeniusNormalized() -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        let norm = frobeniusNormalizeForward(data, out.data, count: count)
        out.recordBackward { [self] in frobeniusNormalizeBackward(out.data, out.grad, grad, count: count, norm: norm) }
        return out
    }
}
