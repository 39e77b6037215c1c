import Kernels

extension Tensor {
    /// The same elements with another shape of equal element count (a copy).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.reduce(1, *) == count, newShape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(operation: "reshape", expected: shape, found: newShape)
        }
        let out = Tensor.result(shape: newShape, of: self)
        out.data.initialize(from: data, count: count)
        out.recordBackward(from: self) { [count] dy, dx in Kernels.add(dy, into: dx, count: count) }
        return out
    }

    /// The sub-tensor covering `ranges`, one per axis (a copy).
    public func slice(_ ranges: [Range<Int>]) throws -> Tensor {
        guard ranges.count == shape.count,
              zip(ranges, shape).allSatisfy({ $0.lowerBound >= 0 && $0.upperBound <= $1 }) else {
            throw TensorError.invalidArgument(operation: "slice", message: "ranges \(ranges) do not fit shape \(shape)")
        }
        let out = Tensor.result(shape: ranges.map(\.count), of: self)
        copyBlock(data, shape: shape, ranges: ranges, into: out.data)
        out.recordBackward(from: self) { [shape] dy, dx in addBlock(dy, into: dx, shape: shape, ranges: ranges) }
        return out
    }

    /// y[i] = x.flat[indices[i]], shaped `shape`: any combination of reshape, permutation and
    /// slicing in one differentiable step. Indices may repeat; their gradients add up.
    public func gather(_ indices: [Int], shape newShape: [Int]) throws -> Tensor {
        guard newShape.reduce(1, *) == indices.count else {
            throw TensorError.shapeMismatch(operation: "gather", expected: newShape, found: [indices.count])
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw TensorError.invalidArgument(operation: "gather", message: "index \(bad) is outside 0..<\(count) of \(shape)")
        }
        let out = Tensor.result(shape: newShape, of: self)
        for (i, source) in indices.enumerated() { out.data[i] = data[source] }
        out.recordBackward(from: self) { dy, dx in
            for (i, source) in indices.enumerated() { dx[source] += dy[i] }
        }
        return out
    }
}
