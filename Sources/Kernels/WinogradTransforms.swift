/// The transforms of Winograd's F(2x2, 3x3) minimal filtering algorithm (Lavin & Gray, 2016):
/// a 2x2 output tile of a 3x3 convolution is Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, where d is the tile's
/// 4x4 input patch and g the 3x3 kernel, so 16 multiplies replace 36. By linearity the weight
/// gradient is dg = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B)]G.
///
///     Bᵀ = | 1  0 -1  0 |     G = | 1    0    0  |     Aᵀ = | 1  1  1  0 |
///          | 0  1  1  0 |         | 1/2  1/2  1/2 |          | 0  1 -1 -1 |
///          | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
///          | 0  1  0 -1 |         | 0    0    1  |
///
/// The data transforms work on eight horizontally adjacent tiles at once, one tile per vector
/// lane; a transformed tile's 16 values go to 16 matrices (`Winograd.points`), one per position
/// ξ = 4·row + column, at the same tile column.
enum Winograd {
    /// Positions of a transformed tile, and so products per tile.
    static let points = 16
    /// Tiles one vector transforms.
    static let lanes = 8
}

// MARK: - One-dimensional transforms over four (or three, or two) rows

/// Bᵀ applied to four rows: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).
@inline(__always)
private func inputRows(_ d: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>))
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    (d.0 - d.2, d.1 + d.2, d.2 - d.1, d.1 - d.3)
}

/// Aᵀ applied to four rows: (m0 + m1 + m2, m1 − m2 − m3).
@inline(__always)
private func outputRows(_ m: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) -> (SIMD8<Float>, SIMD8<Float>) {
    (m.0 + m.1 + m.2, m.1 - m.2 - m.3)
}

/// A applied to two rows: (e0, e0 + e1, e0 − e1, −e1).
@inline(__always)
private func gradientRows(_ e0: SIMD8<Float>, _ e1: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    (e0, e0 + e1, e0 - e1, -e1)
}

// MARK: - Data transforms, eight tiles at a time

/// Writes Bᵀ d B of eight adjacent tiles to `v[ξ·pointStride ..< ξ·pointStride + 8]`. The input
/// rows are stored deinterleaved, rows `rowStride` apart: `patch` points at the first tile's
/// first even column and `patch + oddColumns` at its first odd one, so column j of the eight
/// patches is the vector at `patch + (j odd ? oddColumns : 0) + j / 2`.
@inline(__always)
func winogradTransformInput(_ patch: UnsafePointer<Float>, rowStride: Int, oddColumns: Int,
                            _ v: UnsafeMutablePointer<Float>, pointStride: Int) {
    @inline(__always) func columns(_ row: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let even = patch + row &* rowStride, odd = even + oddColumns
        return (loadVector(even), loadVector(odd), loadVector(even + 1), loadVector(odd + 1))
    }
    let (r0, r1, r2, r3) = (columns(0), columns(1), columns(2), columns(3))
    // Bᵀ over rows, column by column; then B over columns, row by row.
    let c0 = inputRows((r0.0, r1.0, r2.0, r3.0)), c1 = inputRows((r0.1, r1.1, r2.1, r3.1))
    let c2 = inputRows((r0.2, r1.2, r2.2, r3.2)), c3 = inputRows((r0.3, r1.3, r2.3, r3.3))
    @inline(__always) func store(_ row: Int, _ values: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) {
        let t = inputRows(values), base = v + row &* 4 &* pointStride
        storeVector(t.0, base)
        storeVector(t.1, base + pointStride)
        storeVector(t.2, base + 2 &* pointStride)
        storeVector(t.3, base + 3 &* pointStride)
    }
    store(0, (c0.0, c1.0, c2.0, c3.0))
    store(1, (c0.1, c1.1, c2.1, c3.1))
    store(2, (c0.2, c1.2, c2.2, c3.2))
    store(3, (c0.3, c1.3, c2.3, c3.3))
}

/// Writes (or adds) Aᵀ m A of eight tiles, whose 16 transformed values are at
/// `m[ξ·pointStride ..< ξ·pointStride + 8]`, as two output rows `rowStride` apart starting at
/// `out`: the first `columns` floats of each (at most 16), and the second row only with `twoRows`.
@inline(__always)
func winogradTransformOutput(_ m: UnsafePointer<Float>, pointStride: Int, _ out: UnsafeMutablePointer<Float>,
                             rowStride: Int, columns: Int, twoRows: Bool, accumulate: Bool) {
    @inline(__always) func point(_ xi: Int) -> SIMD8<Float> { loadVector(m + xi &* pointStride) }
    // Aᵀ over columns of each of the four rows, then over the rows.
    let r0 = outputRows((point(0), point(1), point(2), point(3)))
    let r1 = outputRows((point(4), point(5), point(6), point(7)))
    let r2 = outputRows((point(8), point(9), point(10), point(11)))
    let r3 = outputRows((point(12), point(13), point(14), point(15)))
    let left = outputRows((r0.0, r1.0, r2.0, r3.0)), right = outputRows((r0.1, r1.1, r2.1, r3.1))
    writeInterleaved(left.0, right.0, out, count: columns, accumulate: accumulate)
    if twoRows { writeInterleaved(left.1, right.1, out + rowStride, count: columns, accumulate: accumulate) }
}

/// Writes A dY Aᵀ of eight adjacent 2x2 output-gradient tiles to
/// `m[ξ·pointStride ..< ξ·pointStride + 8]`. The gradient rows are stored deinterleaved, as in
/// `winogradTransformInput`: the tiles' left columns at `dy`, their right ones at
/// `dy + oddColumns`, the second row `rowStride` further.
@inline(__always)
func winogradTransformOutputGradient(_ dy: UnsafePointer<Float>, rowStride: Int, oddColumns: Int,
                                     _ m: UnsafeMutablePointer<Float>, pointStride: Int) {
    // A over the two rows of each column, then over the two columns of each row.
    let left = gradientRows(loadVector(dy), loadVector(dy + rowStride))
    let right = gradientRows(loadVector(dy + oddColumns), loadVector(dy + (rowStride &+ oddColumns)))
    @inline(__always) func store(_ row: Int, _ e0: SIMD8<Float>, _ e1: SIMD8<Float>) {
        let t = gradientRows(e0, e1), base = m + row &* 4 &* pointStride
        storeVector(t.0, base)
        storeVector(t.1, base + pointStride)
        storeVector(t.2, base + 2 &* pointStride)
        storeVector(t.3, base + 3 &* pointStride)
    }
    store(0, left.0, right.0)
    store(1, left.1, right.1)
    store(2, left.2, right.2)
    store(3, left.3, right.3)
}

// MARK: - Weight transforms

/// u[ξ·pointStride] = (G g Gᵀ)[ξ] for the 3x3 kernel `g` (row-major).
@inline(__always)
func winogradTransformWeights(_ g: UnsafePointer<Float>, _ u: UnsafeMutablePointer<Float>, pointStride: Int) {
    // G over the three values of a column, then of each of the four rows.
    let c0 = expandByG(g[0], g[3], g[6]), c1 = expandByG(g[1], g[4], g[7]), c2 = expandByG(g[2], g[5], g[8])
    @inline(__always) func store(_ row: Int, _ a: Float, _ b: Float, _ c: Float) {
        let t = expandByG(a, b, c), base = u + row &* 4 &* pointStride
        base[0] = t.0
        base[pointStride] = t.1
        base[2 &* pointStride] = t.2
        base[3 &* pointStride] = t.3
    }
    store(0, c0.0, c1.0, c2.0)
    store(1, c0.1, c1.1, c2.1)
    store(2, c0.2, c1.2, c2.2)
    store(3, c0.3, c1.3, c2.3)
}

/// g[0..<9] += (Gᵀ du G) for the 16 values du[ξ·pointStride]: the adjoint of
/// `winogradTransformWeights`.
@inline(__always)
func winogradAccumulateWeightGradient(_ du: UnsafePointer<Float>, pointStride: Int, into g: UnsafeMutablePointer<Float>) {
    // Gᵀ over the four values of each row, then of each of the three columns.
    @inline(__always) func row(_ i: Int) -> (Float, Float, Float) {
        let p = du + i &* 4 &* pointStride
        return reduceByG(p[0], p[pointStride], p[2 &* pointStride], p[3 &* pointStride])
    }
    let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3))
    let c0 = reduceByG(r0.0, r1.0, r2.0, r3.0), c1 = reduceByG(r0.1, r1.1, r2.1, r3.1)
    let c2 = reduceByG(r0.2, r1.2, r2.2, r3.2)
    g[0] += c0.0; g[1] += c1.0; g[2] += c2.0
    g[3] += c0.1; g[4] += c1.1; g[5] += c2.1
    g[6] += c0.2; g[7] += c1.2; g[8] += c2.2
}

/// G applied to three values: (a, (a + b + c)/2, (a − b + c)/2, c).
@inline(__always)
private func expandByG(_ a: Float, _ b: Float, _ c: Float) -> (Float, Float, Float, Float) {
    (a, 0.5 * (a + b + c), 0.5 * (a - b + c), c)
}

/// Gᵀ applied to four values: (v0 + (v1 + v2)/2, (v1 − v2)/2, (v1 + v2)/2 + v3).
@inline(__always)
private func reduceByG(_ v0: Float, _ v1: Float, _ v2: Float, _ v3: Float) -> (Float, Float, Float) {
    (v0 + 0.5 * (v1 + v2), 0.5 * (v1 - v2), 0.5 * (v1 + v2) + v3)
}

// MARK: - Row copies and stores

/// Copies `count` floats from `src` into a deinterleaved row at `dst` (even columns first, odd
/// columns from `dst + half`), the first one going to column `column`.
@inline(__always)
func copyDeinterleaved(_ src: UnsafePointer<Float>, count: Int, to dst: UnsafeMutablePointer<Float>, column: Int, half: Int) {
    // Source values alternate between the two halves, starting with the half of `column`'s parity.
    let first = dst + (column & 1 == 0 ? 0 : half) + column / 2
    let second = dst + (column & 1 == 0 ? half : 0) + (column + 1) / 2
    var i = 0
    while i &+ 16 <= count {
        let values = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
        storeVector(values.evenHalf, first + i / 2)
        storeVector(values.oddHalf, second + i / 2)
        i &+= 16
    }
    if i &+ 8 <= count {
        let values = loadVector(src + i)
        UnsafeMutableRawPointer(first + i / 2).storeBytes(of: values.evenHalf, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(second + i / 2).storeBytes(of: values.oddHalf, as: SIMD4<Float>.self)
        i &+= 8
    }
    for j in stride(from: i, to: count, by: 2) { first[j / 2] = src[j] }
    for j in stride(from: i &+ 1, to: count, by: 2) { second[j / 2] = src[j] }
}

/// Writes (or adds) the first `count` of the 16 floats even₀ odd₀ even₁ odd₁ ... at `dst`.
@inline(__always)
private func writeInterleaved(_ even: SIMD8<Float>, _ odd: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>,
                              count: Int, accumulate: Bool) {
    var row = SIMD16<Float>()
    row.evenHalf = even
    row.oddHalf = odd
    if count == 16 {
        let sum = accumulate ? row + UnsafeRawPointer(dst).loadUnaligned(as: SIMD16<Float>.self) : row
        UnsafeMutableRawPointer(dst).storeBytes(of: sum, as: SIMD16<Float>.self)
    } else {
        var i = 0
        if count >= 8 {
            storeVector(accumulate ? row.lowHalf + loadVector(dst) : row.lowHalf, dst)
            i = 8
        }
        while i < count {
            dst[i] = accumulate ? dst[i] + row[i] : row[i]
            i &+= 1
        }
    }
}
