/// C [m × n] += A [m × k] · Bᵀ for B stored [n × k]: every entry the dot product of a row of A and
/// a row of B, as in weight gradients, where both factors run along pixels or samples.
///
/// Register tiles of `DirectTile.channels` rows of A by `DirectTile.vectors` rows of B hold one
/// vector of partial sums per entry while they sweep the rows, and add the vectors' lane sums to
/// C at the end. No operand is packed: both are read along their rows, A's block of rows from
/// the core's cache while B's rows stream by. `gemm` runs its A · Bᵀ products here where the
/// pointwise kernel outruns OpenBLAS (`PointwisePlan.outrunsOpenBLAS`).

enum RowProducts {
    /// The shortest rows `gemm` hands to the tiles: four vectors, where the lane sums at the end
    /// cost less than the sweep.
    static let minimumLength = 4 * WideVector.scalarCount
}

/// C += A · Bᵀ, where `k` is a whole number of `WideVector`s; `lda`, `ldb` and `ldc` are row
/// strides.
func accumulateRowProducts(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                           _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    precondition(k % WideVector.scalarCount == 0, "accumulateRowProducts needs whole vectors")
    for row in stride(from: 0, to: m, by: DirectTile.channels) {
        for column in stride(from: 0, to: n, by: DirectTile.vectors) {
            RowProductTile(a: a + row &* lda, lda: lda, b: b + column &* ldb, ldb: ldb, k: k, c: c + (row &* ldc &+ column), ldc: ldc)
                .dispatch(0, vectors: min(DirectTile.vectors, n - column), channels: min(DirectTile.channels, m - row))
        }
    }
}

/// Rows of A (`channels` of them) by rows of B (`vectors`), `k` floats long.
private struct RowProductTile: TileSweep {
    let a: UnsafePointer<Float>
    let lda: Int
    let b: UnsafePointer<Float>
    let ldb: Int
    let k: Int
    /// The tile's first entry of C.
    let c: UnsafeMutablePointer<Float>
    let ldc: Int

    func sweep<let vectors: Int, let channels: Int>(_: Int, _ shape: TileShape<vectors, channels>) {
        let lanes = WideVector.scalarCount
        let (b0, b1, b2) = (b, b + (vectors > 1 ? ldb : 0), b + (vectors > 2 ? 2 &* ldb : 0))
        var tile = DirectTile()
        var p = 0
        while p < k {
            tile.add(loadWide(b0 + p), loadWide(b1 + p), loadWide(b2 + p), gradients: a + p, channelStride: lda,
                     vectors: vectors, channels: channels)
            p &+= lanes
        }
        for row in 0..<channels {
            for column in 0..<vectors { c[row &* ldc &+ column] += laneSum(tile.vector(column, channel: row)) }
        }
    }
}
