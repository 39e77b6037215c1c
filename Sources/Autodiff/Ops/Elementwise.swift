import Kernels

extension Tensor {
    /// Elementwise sum of two tensors of the same shape.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try rhs.expectShape(lhs.shape, "add")
        let out = Tensor.result(shape: lhs.shape, of: lhs, rhs)
        Kernels.add(lhs.data, rhs.data, out.data, count: out.count)
        out.recordBackward {
            if lhs.requiresGrad { Kernels.add(out.grad, into: lhs.grad, count: out.count) }
            if rhs.requiresGrad { Kernels.add(out.grad, into: rhs.grad, count: out.count) }
        }
        return out
    }

    /// Elementwise product of two tensors of the same shape.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try rhs.expectShape(lhs.shape, "multiply")
        let out = Tensor.result(shape: lhs.shape, of: lhs, rhs)
        mulForward(lhs.data, rhs.data, out.data, count: out.count)
        out.recordBackward {
            if lhs.requiresGrad { mulBackward(out.grad, rhs.data, lhs.grad, count: out.count) }
            if rhs.requiresGrad { mulBackward(out.grad, lhs.data, rhs.grad, count: out.count) }
        }
        return out
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        scaleForward(data, out.data, count: count, by: factor)
        out.recordBackward { [self] in scaleBackward(out.grad, grad, count: count, by: factor) }
        return out
    }

    /// max(x, 0).
    public func relu() -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        reluForward(data, out.data, count: count)
        out.recordBackward { [self] in reluBackward(data, out.grad, grad, count: count) }
        return out
    }

    /// x where x > 0, else slope·x.
    public func leakyReLU(slope: Float = 0.02) -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        leakyReLUForward(data, out.data, count: count, slope: slope)
        out.recordBackward { [self] in leakyReLUBackward(data, out.grad, grad, count: count, slope: slope) }
        return out
    }

    /// The sum of all elements, as a one-element tensor.
    public func sum() -> Tensor {
        let out = Tensor.result(shape: [1], of: self)
        out.data[0] = Float(Kernels.sum(data, count: count))
        out.recordBackward { [self] in
            let g = out.grad[0], target = grad
            for i in 0..<count { target[i] += g }
        }
        return out
    }

    /// The mean of all elements, as a one-element tensor.
    public func mean() -> Tensor {
        sum().scaled(by: 1 / Float(max(count, 1)))
    }

    /// The mean of the squared elements, as a one-element tensor.
    public func meanSquare() -> Tensor {
        let out = Tensor.result(shape: [1], of: self)
        out.data[0] = Float(sumOfSquares(data, count: count) / Double(max(count, 1)))
        out.recordBackward { [self] in
            addScaled(data, 2 * out.grad[0] / Float(max(count, 1)), into: grad, count: count)
        }
        return out
    }
}
