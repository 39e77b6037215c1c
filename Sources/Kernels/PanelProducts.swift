/// C [m × n] = A [m × k] · B [k × n], or C += A · B, by the register tiles of the pointwise
/// kernel (`PointwiseConv2D.swift`): B is copied a panel of `PanelProducts.panelWidth` columns
/// and `PanelProducts.depth` rows at a time into a buffer that stays in the core's cache while
/// A's rows, packed `DirectTile.channels` at a time, sweep it, one broadcast element of A per
/// row and step. `gemm` runs its products here where the pointwise kernel outruns OpenBLAS
/// (`PointwisePlan.outrunsOpenBLAS`).
enum PanelProducts {
    /// Columns of a panel: one tile's vectors.
    static let panelWidth = DirectTile.vectors * WideVector.scalarCount
    /// Rows of B in a panel (48 KB with 512-bit vectors, 24 KB with 256-bit ones).
    static let depth = 256
    /// The fewest rows of A that `gemm` hands to the tiles: half a tile. (A single row, the
    /// input gradient of a one-channel stem, ran 1.2x slower than by OpenBLAS.)
    static let minimumRows = DirectTile.channels / 2
    /// The fewest columns `gemm` hands to the tiles: one vector.
    static let minimumColumns = WideVector.scalarCount
}

/// C = A · B, or with `accumulate` C += A · B; `lda`, `ldb` and `ldc` are row strides.
func multiplyPanels(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let rows = DirectTile.channels, width = PanelProducts.panelWidth, lanes = WideVector.scalarCount
    let blocks = (m + rows - 1) / rows
    withScratch(blocks * k * rows) { packedA in
        // A as [block][k][rows], rows past m zero.
        for block in 0..<blocks {
            let first = block * rows, count = min(rows, m - first), target = packedA + block * k * rows
            for p in 0..<k {
                for r in 0..<rows { target[p * rows + r] = r < count ? a[(first + r) * lda + p] : 0 }
            }
        }
        withScratch(PanelProducts.depth * width) { panel in
            for column in stride(from: 0, to: n, by: width) {
                let columns = min(width, n - column), vectors = (columns + lanes - 1) / lanes
                for top in stride(from: 0, to: k, by: PanelProducts.depth) {
                    let depth = min(PanelProducts.depth, k - top)
                    // Lanes past the last column are never stored; zeroed, they cannot hold
                    // denormals, which slow the multiplies on some CPUs.
                    for p in 0..<depth { copyRow(b + (top + p) * ldb + column, to: panel + p * width, count: columns, paddedTo: width) }
                    for block in 0..<blocks {
                        PanelTile(panel: panel, depth: depth, a: packedA + (block * k + top) * rows,
                                  c: c + block * rows * ldc + column, ldc: ldc, columns: columns,
                                  accumulate: accumulate || top > 0)
                            .dispatch(0, vectors: vectors, channels: min(rows, m - block * rows))
                    }
                }
            }
        }
    }
}

/// One panel of B by one block of A's rows.
private struct PanelTile: TileSweep {
    /// [depth][panelWidth] of B.
    let panel: UnsafePointer<Float>
    let depth: Int
    /// [depth][DirectTile.channels] of A.
    let a: UnsafePointer<Float>
    /// The tile's first entry of C.
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
    /// Columns of C the panel covers.
    let columns: Int
    let accumulate: Bool

    func sweep<let vectors: Int, let channels: Int>(_: Int, _ shape: TileShape<vectors, channels>) {
        let lanes = WideVector.scalarCount
        var tile = DirectTile()
        tile.addPanel(panel, rowStride: PanelProducts.panelWidth, weights: a, depth: depth, vectors: vectors, channels: channels)
        for row in 0..<channels {
            let dst = c + row &* ldc
            for v in 0..<vectors {
                storeLanes(tile.vector(v, channel: row), into: dst + v &* lanes, count: min(lanes, columns &- v &* lanes),
                           accumulate: accumulate)
            }
        }
    }
}
