import Kernels

extension Tensor {
    /// The matrix product of two rank-2 tensors, optionally transposing either operand.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) throws -> Tensor {
        try expectRank(2, "matmul")
        try other.expectRank(2, "matmul")
        let (m, k) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
        let (k2, n) = transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
        guard k == k2 else {
            throw TensorError.shapeMismatch(operation: "matmul of \(shape)\(transposeSelf ? "ᵀ" : "") with other\(transposeOther ? "ᵀ" : "")",
                                            expected: transposeOther ? [n, k] : [k, n], found: other.shape)
        }
        let out = Tensor.result(shape: [m, n], of: self, other)
        let (ta, tb): (Transpose, Transpose) = (transposeSelf ? .yes : .no, transposeOther ? .yes : .no)
        let (lda, ldb) = (shape[1], other.shape[1])
        gemm(ta, tb, m: m, n: n, k: k, data, lda: lda, other.data, ldb: ldb, out.data, ldc: n)
        let (dself, dother) = (gradientIfRequired, other.gradientIfRequired)
        out.recordBackward { [self] dy in
            // dA = dC·op(B)ᵀ (stored transposed when A was), dB = op(A)ᵀ·dC likewise.
            if let dself {
                if transposeSelf {
                    gemm(tb, .yes, m: k, n: m, k: n, other.data, lda: ldb, dy, ldb: n, beta: 1, dself.pointer, ldc: lda)
                } else {
                    gemm(.no, tb == .yes ? .no : .yes, m: m, n: k, k: n, dy, lda: n, other.data, ldb: ldb, beta: 1, dself.pointer, ldc: lda)
                }
            }
            if let dother {
                if transposeOther {
                    gemm(.yes, ta, m: n, n: k, k: m, dy, lda: n, data, ldb: lda, beta: 1, dother.pointer, ldc: ldb)
                } else {
                    gemm(ta == .yes ? .no : .yes, .no, m: k, n: n, k: m, data, lda: lda, dy, ldb: n, beta: 1, dother.pointer, ldc: ldb)
                }
            }
        }
        return out
    }

    /// A fully connected layer: x·Wᵀ + b for x `[rows, in]`, W `[out, in]` and b `[out]`.
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        let product = try matmul(weight, transposeOther: true)
        guard let bias else { return product }
        try bias.expectShape([weight.shape[0]], "linear bias for weight \(weight.shape)")
        let (rows, columns) = (product.shape[0], product.shape[1])
        let out = Tensor.result(shape: product.shape, of: product, bias)
        addBiasForward(product.data, bias.data, out.data, rows: rows, columns: columns)
        let (dproduct, dbias, count) = (product.gradientIfRequired, bias.gradientIfRequired, out.count)
        out.recordBackward { dy in
            if let dproduct { Kernels.add(dy, into: dproduct.pointer, count: count) }
            if let dbias { addBiasBackward(dy, dbias.pointer, rows: rows, columns: columns) }
        }
        return out
    }
}
