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

    /// The sub-tensor covering `ranges`, one per axis, shaped `shape` (the ranges' extents unless
    /// given; the same count) (a copy).
    public func slice(_ ranges: [Range<Int>], shape newShape: [Int]? = nil) throws -> Tensor {
        guard ranges.count == shape.count,
              zip(ranges, shape).allSatisfy({ $0.lowerBound >= 0 && $0.upperBound <= $1 }) else {
            throw TensorError.invalidArgument(operation: "slice", message: "ranges \(ranges) do not fit shape \(shape)")
        }
        let extents = ranges.map(\.count)
        if let newShape, newShape.reduce(1, *) != extents.reduce(1, *) || newShape.contains(where: { $0 < 0 }) {
            throw TensorError.shapeMismatch(operation: "slice", expected: extents, found: newShape)
        }
        let out = Tensor.result(shape: newShape ?? extents, of: self)
        copyBlock(data, shape: shape, ranges: ranges, into: out.data)
        out.recordBackward(from: self) { [shape] dy, dx in addBlock(dy, into: dx, shape: shape, ranges: ranges) }
        return out
    }

    /// The elements, read as a row-major array of `dimensions` (this tensor's shape unless given;
    /// the same count), with the axes permuted: the result's axis i is axis `axes[i]`. It is
    /// shaped `shape` (the permuted dimensions unless given; the same count) (a copy).
    public func permuted(_ axes: [Int], dimensions: [Int]? = nil, shape: [Int]? = nil) throws -> Tensor {
        let dimensions = dimensions ?? self.shape
        guard dimensions.reduce(1, *) == count, dimensions.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(operation: "permuted", expected: self.shape, found: dimensions)
        }
        guard axes.sorted() == Array(0..<dimensions.count) else {
            throw TensorError.invalidArgument(operation: "permuted",
                                              message: "axes \(axes) are not a permutation of the \(dimensions.count) axes of \(dimensions)")
        }
        let permutedShape = axes.map { dimensions[$0] }
        let newShape = shape ?? permutedShape
        guard newShape.reduce(1, *) == count, newShape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(operation: "permuted", expected: permutedShape, found: newShape)
        }
        let out = Tensor.result(shape: newShape, of: self)
        permute(data, dimensions: dimensions, axes: axes, into: out.data)
        out.recordBackward(from: self) { dy, dx in
            permute(dy, dimensions: permutedShape, axes: inversePermutation(axes), into: dx, accumulate: true)
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
}
