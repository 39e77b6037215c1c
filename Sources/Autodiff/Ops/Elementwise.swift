import Kernels

extension Tensor {
    /// Elementwise sum of two tensors of the same shape.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        try rhs.expectShape(lhs.shape, "add")
        let out = Tensor.result(shape: lhs.shape, of: lhs, rhs)
        let (a, b, y) = (lhs.data, rhs.data, out.data)
        Parallelism.forEachSlice(out.count) { offset, n in Kernels.add(a + offset, b + offset, y + offset, count: n) }
        let (dlhs, drhs, count) = (lhs.gradientIfRequired, rhs.gradientIfRequired, out.count)
        out.recordBackward { dy in
            Parallelism.forEachSlice(count) { offset, n in
                if let dlhs { Kernels.add(dy + offset, into: dlhs.pointer + offset, count: n) }
                if let drhs { Kernels.add(dy + offset, into: drhs.pointer + offset, count: n) }
            }
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
        let (x, y) = (data, out.data)
        Parallelism.forEachSlice(count) { offset, n in reluForward(x + offset, y + offset, count: n) }
        out.recordBackward(from: self) { [count] dy, dx in
            let y = out.data
            Parallelism.forEachSlice(count) { offset, n in reluBackward(y + offset, dy + offset, dx + offset, count: n) }
        }
        return out
    }

    /// x where x > 0, else slope·x.
    public func leakyReLU(slope: Float = 0.02) -> Tensor {
        let out = Tensor.result(shape: shape, of: self)
        let (x, y) = (data, out.data)
        Parallelism.forEachSlice(count) { offset, n in leakyReLUForward(x + offset, y + offset, count: n, slope: slope) }
        out.recordBackward(from: self) { [self, count] dy, dx in
            Parallelism.forEachSlice(count) { offset, n in
                leakyReLUBackward(data + offset, dy + offset, dx + offset, count: n, slope: slope)
            }
        }
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
