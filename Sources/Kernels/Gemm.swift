import CBLAS

/// Whether a matrix operand of `gemm` is used as stored or transposed.
public enum Transpose: Sendable {
    case no, yes

    var cblas: CBLAS_TRANSPOSE { self == .no ? CblasNoTrans : CblasTrans }
}

/// C = alpha * op(A) * op(B) + beta * C on row-major matrices (OpenBLAS sgemm).
///
/// `op(A)` is m x k, `op(B)` is k x n and C is m x n; `lda`, `ldb` and `ldc` are the row strides of
/// A, B and C as stored. With `beta = 1` the product accumulates into C.
@inline(__always)
public func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                 alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                 _ b: UnsafePointer<Float>, ldb: Int,
                 beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if beta != 1 { scaleInPlace(c, rows: m, columns: n, stride: ldc, by: beta) }
        return
    }
    cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

private func scaleInPlace(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, by beta: Float) {
    for r in 0..<rows {
        let row = c + r &* stride
        for j in 0..<columns { row[j] = beta == 0 ? 0 : row[j] * beta }
    }
}
