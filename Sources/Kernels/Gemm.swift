import CBLAS

/// The OpenBLAS library the products run on.
enum OpenBLAS {
    /// Whether OpenBLAS runs its AVX-512 kernels, by the name it gives them. (It picks kernels by
    /// CPU model when it loads, or as `OPENBLAS_CORETYPE` says.)
    static let runsAVX512Kernels: Bool = {
        guard let name = openblas_get_corename() else { return false }
        return ["skylakex", "cooperlake", "sapphirerapids"].contains(String(cString: name).lowercased())
    }()
}

/// Whether a matrix operand of `gemm` is used as stored or transposed.
public enum Transpose: Sendable {
    case no, yes

    var cblas: CBLAS_TRANSPOSE { self == .no ? CblasNoTrans : CblasTrans }
}

/// C = alpha * op(A) * op(B) + beta * C on row-major matrices: by OpenBLAS's sgemm, or where the
/// pointwise kernel's tiles outrun it (`PointwisePlan.outrunsOpenBLAS`) the products added into C
/// with a transposed B by `accumulateRowProducts` and those with neither factor transposed by
/// `multiplyPanels`.
///
/// `op(A)` is m x k, `op(B)` is k x n and C is m x n; `lda`, `ldb` and `ldc` are the row strides of
/// A, B and C as stored. With `beta = 1` the product accumulates into C. A large product outside
/// a kernel's own split (`Parallelism.productParts`) cuts C's columns (or, when it has fewer
/// columns than rows, its rows) into one block per thread.
public func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                 alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                 _ b: UnsafePointer<Float>, ldb: Int,
                 beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if beta != 1 { scaleInPlace(c, rows: m, columns: n, stride: ldc, by: beta) }
        return
    }
    let parts = Parallelism.productParts(work: m &* n &* k)
    guard parts > 1 else {
        // A · Bᵀ added to C with long rows: the rows' dot products by our own tiles where those
        // outrun OpenBLAS, a remainder short of a vector by OpenBLAS.
        let whole = k / WideVector.scalarCount * WideVector.scalarCount
        if PointwisePlan.outrunsOpenBLAS, transA == .no, transB == .yes, alpha == 1, beta == 1, whole >= RowProducts.minimumLength {
            accumulateRowProducts(m: m, n: n, k: whole, a, lda: lda, b, ldb: ldb, c, ldc: ldc)
            if whole < k { gemm(.no, .yes, m: m, n: n, k: k - whole, a + whole, lda: lda, b + whole, ldb: ldb, beta: 1, c, ldc: ldc) }
            return
        }
        // A · B, written or added to C: by our own tiles where those outrun OpenBLAS and the
        // product fills half a tile's rows and a vector's columns.
        if PointwisePlan.outrunsOpenBLAS, transA == .no, transB == .no, alpha == 1, beta == 0 || beta == 1,
           m >= PanelProducts.minimumRows, n >= PanelProducts.minimumColumns {
            multiplyPanels(m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: beta == 1)
            return
        }
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        return
    }
    let (sa, sb, sc) = (SharedPointer(a), SharedPointer(b), SharedPointer(c))
    if n >= m {
        // Columns j of C come from columns j of op(B): element offset j, or row j when stored transposed.
        Parallelism.run(Parallelism.split(count: n)) { _, columns in
            let j = columns.lowerBound
            gemm(transA, transB, m: m, n: columns.count, k: k, alpha: alpha, sa.pointer, lda: lda,
                 sb.pointer + (transB == .no ? j : j &* ldb), ldb: ldb, beta: beta, sc.pointer + j, ldc: ldc)
        }
    } else {
        // Rows i of C come from rows i of op(A): row i, or element offset i when stored transposed.
        Parallelism.run(Parallelism.split(count: m)) { _, rows in
            let i = rows.lowerBound
            gemm(transA, transB, m: rows.count, n: n, k: k, alpha: alpha, sa.pointer + (transA == .no ? i &* lda : i), lda: lda,
                 sb.pointer, ldb: ldb, beta: beta, sc.pointer + i &* ldc, ldc: ldc)
        }
    }
}

private func scaleInPlace(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, by beta: Float) {
    for r in 0..<rows {
        let row = c + r &* stride
        for j in 0..<columns { row[j] = beta == 0 ? 0 : row[j] * beta }
    }
}
