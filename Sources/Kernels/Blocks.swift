/// Copies between a row-major array and a dense rectangular block of it (one range per axis),
/// and between arrays whose axes are permuted: the kernels behind slicing, permuting and their
/// adjoints.

/// Writes the block `ranges` of `source` (a row-major array of `shape`) densely into `block`.
public func copyBlock(_ source: UnsafePointer<Float>, shape: [Int], ranges: [Range<Int>], into block: UnsafeMutablePointer<Float>) {
    forEachBlockRow(shape: shape, ranges: ranges) { sourceOffset, blockOffset, length in
        let (from, to) = (source + sourceOffset, block + blockOffset)
        for i in 0..<length { to[i] = from[i] }
    }
}

/// Adds the dense `block` into the block `ranges` of `array` (a row-major array of `shape`).
public func addBlock(_ block: UnsafePointer<Float>, into array: UnsafeMutablePointer<Float>, shape: [Int], ranges: [Range<Int>]) {
    forEachBlockRow(shape: shape, ranges: ranges) { arrayOffset, blockOffset, length in
        let (from, to) = (block + blockOffset, array + arrayOffset)
        for i in 0..<length { to[i] += from[i] }
    }
}

/// Calls `body(arrayOffset, blockOffset, length)` for each row of the block (its extent along
/// the last axis), in row-major order. `ranges` must lie inside `shape`, one per axis. Rows are
/// often short (a cropped kernel's 3 to 7 taps), so the bodies copy in loops of their own rather
/// than call `memmove` or a kernel that may split.
private func forEachBlockRow(shape: [Int], ranges: [Range<Int>], _ body: (Int, Int, Int) -> Void) {
    let rank = shape.count
    guard rank > 0 else { return body(0, 0, 1) }
    guard ranges.allSatisfy({ !$0.isEmpty }) else { return }
    var strides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
    let length = ranges[rank - 1].count
    let rows = ranges.dropLast().reduce(1) { $0 * $1.count }
    var index = ranges.map(\.lowerBound)
    for row in 0..<rows {
        var offset = 0
        for axis in 0..<rank { offset += index[axis] * strides[axis] }
        body(offset, row * length, length)
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < ranges[axis].upperBound { break }
            index[axis] = ranges[axis].lowerBound
            axis -= 1
        }
    }
}

/// y = x with its axes permuted (with `accumulate`, y += ...): `x` is a row-major array of
/// `dimensions`, and y's axis i is x's axis `axes[i]` (a permutation of the axes). The adjoint
/// of a permutation is the inverse permutation (`inversePermutation`) of the gradient.
public func permute(_ x: UnsafePointer<Float>, dimensions: [Int], axes: [Int], into y: UnsafeMutablePointer<Float>,
                    accumulate: Bool = false) {
    let (rank, total) = (dimensions.count, dimensions.reduce(1, *))
    guard rank > 1 else { return copy(x, into: y, count: total, accumulate: accumulate) }
    guard total > 0 else { return }
    var strides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * dimensions[axis + 1] }
    // y's axes as extents and strides in x; the last runs innermost, the first splits over threads.
    let extents = axes.map { dimensions[$0] }, steps = axes.map { strides[$0] }
    let (count, step, perFirst) = (extents[rank - 1], steps[rank - 1], total / extents[0])
    Parallelism.forEachItem(extents[0], length: perFirst) { first in
        var index = [Int](repeating: 0, count: rank - 2)
        var target = y + first * perFirst
        for _ in 0 ..< perFirst / count {
            var source = x + first * steps[0]
            for (k, position) in index.enumerated() { source += position * steps[k + 1] }
            if accumulate {
                for i in 0..<count { target[i] += source[i &* step] }
            } else {
                for i in 0..<count { target[i] = source[i &* step] }
            }
            target += count
            var k = rank - 3
            while k >= 0 {
                index[k] += 1
                if index[k] < extents[k + 1] { break }
                index[k] = 0
                k -= 1
            }
        }
    }
}

/// The permutation that undoes `axes`: permuting by `axes`, then by this, leaves an array as it was.
public func inversePermutation(_ axes: [Int]) -> [Int] {
    var inverse = [Int](repeating: 0, count: axes.count)
    for (position, axis) in axes.enumerated() { inverse[axis] = position }
    return inverse
}
