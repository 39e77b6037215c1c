import Kernels

extension Tensor {
    /// Elementwise sum of two tensors of the same shape.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try rhs.expectShape(lhs.shape, "add")
        let out = Tensor.result(shape: lhs.shape, of: lhs, rhs)
        Kernels.add(lhs.data, rhs.data, out.data, count: out.count)
        let (dlhs, drhs) = (lhs.gradientIfRequired, rhs.gradientIfRequired)
        out.recordBackward { dy in
            dlhs?.add(dy)
            drhs?.add(dy)
        }
        return out
    }

    /// Elementwise product of two tensors of the same shape.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try rhs.expectShape(lhs.shape, "multiply")
        let out = Tensor.result(shape: lhs.shape, of: lhs, rhs)
        mulForward(lhs.data, rhs.data, out.data, count: out.count)
        let (dlhs, drhs, count) = (lhs.gradientIfRequired, rhs.gradientIfRequired, out.count)
        out.recordBackward { dy in
            if let dlhs { mulBackward(dy, rhs.data, dlhs.pointer, count: count) }
            if let drhs { mulBackward(dy, lhs.data, drhs.pointer, count: count) }
        }
        return out
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        scaleForward(data, out.data, count: count, by: factor)
        out.recordBackward(from: self) { [count] dy, dx in scaleBackward(dy, dx, count: count, by: factor) }
        return out
    }

    /// max(x, 0). Its adjoint reads the output (y > 0 exactly where x > 0), so the input is freed
    /// when nothing else needs it.
    public func relu() -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        reluForward(data, out.data, count: count)
        if let dx = gradientIfRequired {
            out.recordBackward { [count] dy in
                dx.contribute { buffer, fresh in reluBackward(out.data, dy, buffer, count: count, overwrite: fresh) }
            }
        }
        return out
    }

    /// x where x > 0, else slope·x. For a slope of zero or more its adjoint reads the output (as
    /// positive as the input), so the input is freed when nothing else needs it: a HyperNet's
    /// dense layers each activate the whole concatenation so far.
    public func leakyReLU(slope: Float = 0.02) -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        leakyReLUForward(data, out.data, count: count, slope: slope)
        let sign = slope >= 0 ? out : self
        out.recordBackward(from: self) { [count] dy, dx in leakyReLUBackward(sign.data, dy, dx, count: count, slope: slope) }
        return out
    }

    /// The sum of all elements, as a one-element tensor.
    public func sum() -> Tensor {
        let out = Tensor.result(shape: [1], of: self)
        out.data[0] = Float(Kernels.sum(data, count: count))
        out.recordBackward(from: self) { [count] dy, dx in
            let g = dy[0]
            for i in 0..<count { dx[i] += g }
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
        out.recordBackward(from: self) { [self] dy, dx in
            addScaled(data, 2 * dy[0] / Float(max(count, 1)), into: dx, count: count)
        }
        return out
    }
}
