/// Copies between a row-major array and a dense rectangular block of it (one range per axis):
/// the kernels behind slicing and its adjoint.

/// Writes the block `ranges` of `source` (a row-major array of `shape`) densely into `block`.
public func copyBlock(_ source: UnsafePointer<Float>, shape: [Int], ranges: [Range<Int>], into block: UnsafeMutablePointer<Float>) {
    forEachBlockRow(shape: shape, ranges: ranges) { sourceOffset, blockOffset, length in
        (block + blockOffset).update(from: source + sourceOffset, count: length)
    }
}

/// Adds the dense `block` into the block `ranges` of `array` (a row-major array of `shape`).
public func addBlock(_ block: UnsafePointer<Float>, into array: UnsafeMutablePointer<Float>, shape: [Int], ranges: [Range<Int>]) {
    forEachBlockRow(shape: shape, ranges: ranges) { arrayOffset, blockOffset, length in
        add(block + blockOffset, into: array + arrayOffset, count: length)
    }
}

/// Calls `body(arrayOffset, blockOffset, length)` for each row of the block (its extent along
/// the last axis), in row-major order. `ranges` must lie inside `shape`, one per axis.
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
