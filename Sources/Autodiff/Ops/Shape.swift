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
        let indices = sliceIndices(ranges)
        for (i, source) in indices.enumerated() { out.data[i] = data[source] }
        out.recordBackward(from: self) { dy, dx in
            for (i, source) in indices.enumerated() { dx[source] += dy[i] }
        }
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

    /// Flat source indices of the elements inside `ranges`, in row-major order.
    private func sliceIndices(_ ranges: [Range<Int>]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        var indices = [0]
        for (axis, range) in ranges.enumerated() {
            indices = indices.flatMap { base in range.map { base + $0 * strides[axis] } }
        }
        return indices
    }
}
