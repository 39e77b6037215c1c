/// The complex matrix products of a Fourier convolution's frequencies (`FourierConv2D.swift`):
/// each is only tens of rows and columns. A tile of four rows by one vector of columns
/// (`WideVector`) stays in registers: per step along the depth it loads a vector each of b's real
/// and imaginary parts, broadcasts a's two values per row, and does sixteen multiply-adds in
/// eight independent chains, enough to keep both fused multiply-add units busy. (48 -> 48
/// channels, a run of 25 samples on a 34x35 grid, two threads, eight-float vectors: 4.2 ms,
/// where four OpenBLAS products per frequency, for the real and imaginary parts, took 7.9 ms.)

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
    let lanes = WideVector.scalarCount
    var column = 0
    while column &+ lanes <= columns {
        complexColumns(rows: rows, depth: depth, a, b.from(column: column), into: c.from(column: column), count: lanes,
                       conjugateA: conjugateA, accumulate: accumulate)
        column &+= lanes
    }
    if lanes == 16 && columns &- column == 8 {
        // Eight columns (a group of eight output channels) in the low half of the vectors;
        // other remainders take one padded pass of the tail.
        complexColumns(rows: rows, depth: depth, a, b.from(column: column), into: c.from(column: column), count: 8,
                       conjugateA: conjugateA, accumulate: accumulate)
        column &+= 8
    }
    if column < columns {
        complexTail(rows: rows, columns: columns - column, depth: depth, a, b.from(column: column), into: c.from(column: column),
                    conjugateA: conjugateA, accumulate: accumulate)
    }
}

/// A [depth × columns] complex matrix packed in panels of one vector of columns (`WideVector`;
/// with sixteen-float vectors a last panel of at most eight columns is eight wide), each panel
/// [depth][real part, imaginary part], missing columns zero: the order in which
/// `complexMultiply(rows:columns:depth:_:panels:into:accumulate:)` reads it, one stream from
/// front to back. (Kernel spectra read in place jump between the real and imaginary parts of
/// every frequency and between frequencies; kept for many products, they stream from memory,
/// and as panels that stream is one the hardware prefetches.)
enum ComplexPanels {
    /// Floats of a [depth × columns] matrix in panels.
    static func floatCount(depth: Int, columns: Int) -> Int {
        var (floats, column) = (0, 0)
        while column < columns {
            let width = panelWidth(remaining: columns &- column)
            floats &+= 2 &* width &* depth
            column &+= width
        }
        return floats
    }

    /// The width of the panel holding the next `remaining` columns.
    static func panelWidth(remaining: Int) -> Int {
        let lanes = WideVector.scalarCount
        return lanes == 16 && remaining <= 8 ? 8 : lanes
    }

    /// Writes b ([depth × columns]) into `panels` (`floatCount`).
    static func pack(_ b: ComplexMatrix, depth: Int, columns: Int, into panels: UnsafeMutablePointer<Float>) {
        var (target, column) = (panels, 0)
        while column < columns {
            let width = panelWidth(remaining: columns &- column), count = min(width, columns &- column)
            for d in 0..<depth {
                let source = b.from(row: d, column: column)
                copyRow(source.real, to: target, count: count, paddedTo: width)
                copyRow(source.imaginary, to: target + width, count: count, paddedTo: width)
                target += 2 &* width
            }
            column &+= width
        }
    }
}

/// c = a·b, or c += a·b with `accumulate`, where a is [rows × depth] and b is [depth × columns]
/// in `ComplexPanels`.
func complexMultiply(rows: Int, columns: Int, depth: Int, _ a: ComplexMatrix, panels b: UnsafePointer<Float>, into c: ComplexMatrix,
                     accumulate: Bool) {
    var (panel, column) = (UnsafeMutablePointer(mutating: b), 0)
    while column < columns {
        let width = ComplexPanels.panelWidth(remaining: columns &- column)
        complexColumns(rows: rows, depth: depth, a, ComplexMatrix(real: panel, imaginary: panel + width, rowStride: 2 &* width),
                       into: c.from(column: column), count: min(width, columns &- column), conjugateA: false, accumulate: accumulate)
        panel += 2 &* width &* depth
        column &+= width
    }
}

/// The last `columns` (fewer than a vector's) of c through a vector of columns: b's columns
/// copied into zero-padded rows, and only c's columns written. (One dot product at a time, the
/// tail columns ran at scalar speed.)
private func complexTail(rows: Int, columns: Int, depth: Int, _ a: ComplexMatrix, _ b: ComplexMatrix, into c: ComplexMatrix,
                         conjugateA: Bool, accumulate: Bool) {
    let lanes = WideVector.scalarCount
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 &* lanes &* depth) { buffer in
        guard let base = buffer.baseAddress else { return }
        let paddedB = ComplexMatrix(real: base, imaginary: base + lanes &* depth, rowStride: lanes)
        for d in 0..<depth {
            for j in 0..<lanes {
                paddedB.real[d &* lanes &+ j] = j < columns ? b.real[d &* b.rowStride &+ j] : 0
                paddedB.imaginary[d &* lanes &+ j] = j < columns ? b.imaginary[d &* b.rowStride &+ j] : 0
            }
        }
        complexColumns(rows: rows, depth: depth, a, paddedB, into: c, count: columns, conjugateA: conjugateA, accumulate: accumulate)
    }
}

/// A count of rows as a generic constant, so that each tile height compiles to its own loop.
private struct TileRows<let count: Int> {}

/// The first `count` columns (at most a vector's) of c from one vector of b's, four rows at a time.
@inline(__always)
private func complexColumns(rows: Int, depth: Int, _ a: ComplexMatrix, _ b: ComplexMatrix, into c: ComplexMatrix, count: Int,
                            conjugateA: Bool, accumulate: Bool) {
    var row = 0
    while row &+ 4 <= rows {
        complexTile(a.from(row: row), b, c.from(row: row), depth: depth, count: count, conjugateA: conjugateA, accumulate: accumulate,
                    TileRows<4>())
        row &+= 4
    }
    let (rest, a, c) = (rows &- row, a.from(row: row), c.from(row: row))
    switch rest {
    case 3: complexTile(a, b, c, depth: depth, count: count, conjugateA: conjugateA, accumulate: accumulate, TileRows<3>())
    case 2: complexTile(a, b, c, depth: depth, count: count, conjugateA: conjugateA, accumulate: accumulate, TileRows<2>())
    case 1: complexTile(a, b, c, depth: depth, count: count, conjugateA: conjugateA, accumulate: accumulate, TileRows<1>())
    default: break
    }
}

/// One tile of c: `rows` rows (up to four) by the first `count` columns of a vector.
@inline(__always)
private func complexTile<let rows: Int>(_ a: ComplexMatrix, _ b: ComplexMatrix, _ c: ComplexMatrix, depth: Int, count: Int,
                                        conjugateA: Bool, accumulate: Bool, _: TileRows<rows>) {
    var (real0, real1, real2, real3) = (WideVector(), WideVector(), WideVector(), WideVector())
    var (imaginary0, imaginary1, imaginary2, imaginary3) = (WideVector(), WideVector(), WideVector(), WideVector())
    let sign: Float = conjugateA ? -1 : 1
    let rowStride = a.rowStride
    for d in 0..<depth {
        let bRow = d &* b.rowStride
        let (br, bi) = (loadColumns(b.real + bRow, count: count), loadColumns(b.imaginary + bRow, count: count))
        let (ar, ai) = (a.real + d &* a.columnStride, a.imaginary + d &* a.columnStride)
        multiplyAdd(&real0, &imaginary0, ar[0], sign * ai[0], br, bi)
        if rows > 1 { multiplyAdd(&real1, &imaginary1, ar[rowStride], sign * ai[rowStride], br, bi) }
        if rows > 2 { multiplyAdd(&real2, &imaginary2, ar[2 &* rowStride], sign * ai[2 &* rowStride], br, bi) }
        if rows > 3 { multiplyAdd(&real3, &imaginary3, ar[3 &* rowStride], sign * ai[3 &* rowStride], br, bi) }
    }
    storeTile(real0, imaginary0, c, count: count, accumulate: accumulate)
    if rows > 1 { storeTile(real1, imaginary1, c.from(row: 1), count: count, accumulate: accumulate) }
    if rows > 2 { storeTile(real2, imaginary2, c.from(row: 2), count: count, accumulate: accumulate) }
    if rows > 3 { storeTile(real3, imaginary3, c.from(row: 3), count: count, accumulate: accumulate) }
}

/// (real, imaginary) += (ar + i·ai)(br + i·bi) = (ar·br − ai·bi) + i(ar·bi + ai·br).
@inline(__always)
private func multiplyAdd(_ real: inout WideVector, _ imaginary: inout WideVector, _ ar: Float, _ ai: Float,
                         _ br: WideVector, _ bi: WideVector) {
    let (ar, ai) = (WideVector(repeating: ar), WideVector(repeating: ai))
    real = multiplyAdd(multiplyAdd(real, ar, br), -ai, bi)
    imaginary = multiplyAdd(multiplyAdd(imaginary, ar, bi), ai, br)
}

/// A vector of b's columns at `p`, of which the first `count` are used: with sixteen-float
/// vectors and at most eight used, eight loaded and the high half zero.
@inline(__always)
private func loadColumns(_ p: UnsafePointer<Float>, count: Int) -> WideVector {
    #if SMASH_AVX512
    if count <= 8 { return SIMD16(lowHalf: loadVector(p), highHalf: .zero) }
    #endif
    return loadWide(p)
}

/// Writes (with `accumulate`, adds) the first `count` columns of a tile row.
@inline(__always)
private func storeTile(_ real: WideVector, _ imaginary: WideVector, _ c: ComplexMatrix, count: Int, accumulate: Bool) {
    storeLanes(real, into: c.real, count: count, accumulate: accumulate)
    storeLanes(imaginary, into: c.imaginary, count: count, accumulate: accumulate)
}
