/// The complex matrix products of a Fourier convolution's frequencies (`FourierConv2D.swift`):
/// each is only tens of rows and columns. A tile of two rows by sixteen columns stays in
/// registers: per step along the depth it loads two vectors each of b's real and imaginary
/// parts, broadcasts a's two values per row, and does sixteen multiply-adds. (48 -> 48 channels,
/// a run of 25 samples on a 34x35 grid, two threads: 4.2 ms, where four OpenBLAS products per
/// frequency, for the real and imaginary parts, took 7.9 ms.)

/// A complex matrix kept as a real and an imaginary part with the same layout: element (r, c)
/// at `r·rowStride + c·columnStride` of each.
struct ComplexMatrix {
    var real: UnsafeMutablePointer<Float>
    var imaginary: UnsafeMutablePointer<Float>
    var rowStride: Int
    var columnStride: Int = 1

    /// The submatrix from row `row` and column `column` on.
    func from(row: Int = 0, column: Int = 0) -> ComplexMatrix {
        let offset = row &* rowStride &+ column &* columnStride
        return ComplexMatrix(real: real + offset, imaginary: imaginary + offset, rowStride: rowStride, columnStride: columnStride)
    }
}

/// c = a·b, or c += a·b with `accumulate`, where a is [rows × depth] (conjugated with
/// `conjugateA`) and b is [depth × columns]; b's and c's columns must be adjacent.
func complexMultiply(rows: Int, columns: Int, depth: Int, _ a: ComplexMatrix, _ b: ComplexMatrix, into c: ComplexMatrix,
                     conjugateA: Bool, accumulate: Bool) {
    var column = 0
    while column &+ 16 <= columns {
        complexColumns(rows: rows, depth: depth, a, b.from(column: column), into: c.from(column: column), conjugateA: conjugateA,
                       accumulate: accumulate, twoVectors: true)
        column &+= 16
    }
    if column &+ 8 <= columns {
        complexColumns(rows: rows, depth: depth, a, b.from(column: column), into: c.from(column: column), conjugateA: conjugateA,
                       accumulate: accumulate, twoVectors: false)
        column &+= 8
    }
    if column < columns {
        complexTail(rows: rows, columns: columns - column, depth: depth, a, b.from(column: column), into: c.from(column: column),
                    conjugateA: conjugateA, accumulate: accumulate)
    }
}

/// The last `columns` (fewer than eight) of c through a vector of columns: b's columns copied
/// into zero-padded rows of eight, the product made in a buffer and its columns copied out.
/// (One dot product at a time, the tail columns ran at scalar speed.)
private func complexTail(rows: Int, columns: Int, depth: Int, _ a: ComplexMatrix, _ b: ComplexMatrix, into c: ComplexMatrix,
                         conjugateA: Bool, accumulate: Bool) {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 &* (depth &+ rows)) { buffer in
        guard let base = buffer.baseAddress else { return }
        let paddedB = ComplexMatrix(real: base, imaginary: base + 8 &* depth, rowStride: 8)
        let product = ComplexMatrix(real: base + 16 &* depth, imaginary: base + (16 &* depth &+ 8 &* rows), rowStride: 8)
        for d in 0..<depth {
            for j in 0..<8 {
                paddedB.real[d &* 8 &+ j] = j < columns ? b.real[d &* b.rowStride &+ j] : 0
                paddedB.imaginary[d &* 8 &+ j] = j < columns ? b.imaginary[d &* b.rowStride &+ j] : 0
            }
        }
        complexColumns(rows: rows, depth: depth, a, paddedB, into: product, conjugateA: conjugateA, accumulate: false, twoVectors: false)
        for row in 0..<rows {
            let (real, imaginary) = (c.real + row &* c.rowStride, c.imaginary + row &* c.rowStride)
            for j in 0..<columns {
                real[j] = (accumulate ? real[j] : 0) + product.real[row &* 8 &+ j]
                imaginary[j] = (accumulate ? imaginary[j] : 0) + product.imaginary[row &* 8 &+ j]
            }
        }
    }
}

/// One or two vectors of c's columns, two rows at a time.
@inline(__always)
private func complexColumns(rows: Int, depth: Int, _ a: ComplexMatrix, _ b: ComplexMatrix, into c: ComplexMatrix,
                            conjugateA: Bool, accumulate: Bool, twoVectors: Bool) {
    var row = 0
    while row &+ 2 <= rows {
        complexTile(a.from(row: row), b, c.from(row: row), depth: depth, conjugateA: conjugateA, accumulate: accumulate,
                    twoRows: true, twoVectors: twoVectors)
        row &+= 2
    }
    if row < rows {
        complexTile(a.from(row: row), b, c.from(row: row), depth: depth, conjugateA: conjugateA, accumulate: accumulate,
                    twoRows: false, twoVectors: twoVectors)
    }
}

/// One tile of c: one or two rows by one or two vectors of columns (the flags are constants at
/// every call, so each combination compiles to its own loop).
@inline(__always)
private func complexTile(_ a: ComplexMatrix, _ b: ComplexMatrix, _ c: ComplexMatrix, depth: Int, conjugateA: Bool,
                         accumulate: Bool, twoRows: Bool, twoVectors: Bool) {
    var (real00, real01, imaginary00, imaginary01) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var (real10, real11, imaginary10, imaginary11) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    let sign: Float = conjugateA ? -1 : 1
    for d in 0..<depth {
        let bRow = d &* b.rowStride, aColumn = d &* a.columnStride
        let (br0, bi0) = (loadVector(b.real + bRow), loadVector(b.imaginary + bRow))
        let (br1, bi1) = twoVectors ? (loadVector(b.real + (bRow &+ 8)), loadVector(b.imaginary + (bRow &+ 8))) : (br0, bi0)
        let ar0 = SIMD8<Float>(repeating: a.real[aColumn]), ai0 = SIMD8<Float>(repeating: sign * a.imaginary[aColumn])
        multiplyAdd(&real00, &imaginary00, ar0, ai0, br0, bi0)
        if twoVectors { multiplyAdd(&real01, &imaginary01, ar0, ai0, br1, bi1) }
        if twoRows {
            let next = a.rowStride &+ aColumn
            let ar1 = SIMD8<Float>(repeating: a.real[next]), ai1 = SIMD8<Float>(repeating: sign * a.imaginary[next])
            multiplyAdd(&real10, &imaginary10, ar1, ai1, br0, bi0)
            if twoVectors { multiplyAdd(&real11, &imaginary11, ar1, ai1, br1, bi1) }
        }
    }
    storeTile(real00, imaginary00, c, accumulate: accumulate)
    if twoVectors { storeTile(real01, imaginary01, c.from(column: 8), accumulate: accumulate) }
    if twoRows {
        storeTile(real10, imaginary10, c.from(row: 1), accumulate: accumulate)
        if twoVectors { storeTile(real11, imaginary11, c.from(row: 1, column: 8), accumulate: accumulate) }
    }
}

/// (real, imaginary) += (ar + i·ai)(br + i·bi) = (ar·br − ai·bi) + i(ar·bi + ai·br).
@inline(__always)
private func multiplyAdd(_ real: inout SIMD8<Float>, _ imaginary: inout SIMD8<Float>, _ ar: SIMD8<Float>, _ ai: SIMD8<Float>,
                         _ br: SIMD8<Float>, _ bi: SIMD8<Float>) {
    real = multiplyAdd(multiplyAdd(real, ar, br), -ai, bi)
    imaginary = multiplyAdd(multiplyAdd(imaginary, ar, bi), ai, br)
}

@inline(__always)
private func storeTile(_ real: SIMD8<Float>, _ imaginary: SIMD8<Float>, _ c: ComplexMatrix, accumulate: Bool) {
    storeVector(accumulate ? loadVector(c.real) + real : real, c.real)
    storeVector(accumulate ? loadVector(c.imaginary) + imaginary : imaginary, c.imaginary)
}
