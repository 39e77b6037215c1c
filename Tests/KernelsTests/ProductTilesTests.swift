@testable import Kernels
import Foundation
import Testing

/// The register-tile products behind `gemm`, called directly: whatever the build's vector width
/// and whichever library `gemm` picks on this machine.
@Suite struct ProductTilesTests {
    /// C += A · Bᵀ over whole vectors: tiles cut short in both directions, padded row strides.
    @Test(arguments: [(m: 11, n: 7, vectors: 5), (m: 8, n: 3, vectors: 1), (m: 2, n: 5, vectors: 3)])
    func rowProductsAddTheDotProductsOfRows(shape: (m: Int, n: Int, vectors: Int)) {
        let (m, n, k) = (shape.m, shape.n, shape.vectors * WideVector.scalarCount)
        let (lda, ldb, ldc) = (k + 3, k + 1, n + 2)
        let a = wave(m * lda, 0.37), b = wave(n * ldb, 0.11)
        var c = (0..<m * ldc).map { Float($0 % 5) }
        var expected = c
        for i in 0..<m {
            for j in 0..<n { expected[i * ldc + j] += (0..<k).reduce(Float(0)) { $0 + a[i * lda + $1] * b[j * ldb + $1] } }
        }
        accumulateRowProducts(m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, &c, ldc: ldc)
        #expect(maximumDifference(c, expected) < 1e-4)
    }

    /// C = A · B and C += A · B over two panels of columns (the second partial) and two depths,
    /// with rows past a whole block of A.
    @Test(arguments: [false, true])
    func panelProductsMultiplyOrAdd(accumulate: Bool) {
        let (m, n, k) = (11, PanelProducts.panelWidth + 5, PanelProducts.depth + 44)
        let (lda, ldb, ldc) = (k + 3, n + 1, n + 2)
        let a = wave(m * lda, 0.37), b = wave(k * ldb, 0.11)
        var c = (0..<m * ldc).map { Float($0 % 5) }
        var expected = c
        for i in 0..<m {
            for j in 0..<n {
                let product = (0..<k).reduce(Float(0)) { $0 + a[i * lda + $1] * b[$1 * ldb + j] }
                expected[i * ldc + j] = (accumulate ? expected[i * ldc + j] : 0) + product
            }
        }
        multiplyPanels(m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, &c, ldc: ldc, accumulate: accumulate)
        #expect(maximumDifference(c, expected) < 1e-3)
    }

    /// Complex C = A · B and C += A · B with B packed in panels: every tile height, whole and
    /// partial panels (a half-vector panel at sixteen lanes, a part of one), a strided A.
    @Test(arguments: [1, 4, 8, 12, 16, 24, 36], [false, true])
    func complexPanelProductsMultiplyOrAdd(columns: Int, accumulate: Bool) {
        let (rows, depth, lda, ldc) = (7, 5, 9, columns + 3)
        let (ar, ai) = (wave(rows * lda, 0.37), wave(rows * lda, 0.23))
        let (br, bi) = (wave(depth * columns, 0.11), wave(depth * columns, 0.31))
        var (cr, ci) = ((0..<rows * ldc).map { Float($0 % 5) }, (0..<rows * ldc).map { Float($0 % 3) })
        var (expectedReal, expectedImaginary) = (cr, ci)
        for i in 0..<rows {
            for j in 0..<columns {
                var (real, imaginary) = (Float(0), Float(0))
                for d in 0..<depth {
                    let (xr, xi, yr, yi) = (ar[i * lda + d], ai[i * lda + d], br[d * columns + j], bi[d * columns + j])
                    (real, imaginary) = (real + xr * yr - xi * yi, imaginary + xr * yi + xi * yr)
                }
                expectedReal[i * ldc + j] = (accumulate ? expectedReal[i * ldc + j] : 0) + real
                expectedImaginary[i * ldc + j] = (accumulate ? expectedImaginary[i * ldc + j] : 0) + imaginary
            }
        }
        var (a, b) = (ar + ai, br + bi)
        var panels = [Float](repeating: .nan, count: ComplexPanels.floatCount(depth: depth, columns: columns))
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                let (am, bm) = (a.baseAddress!, b.baseAddress!)
                ComplexPanels.pack(ComplexMatrix(real: bm, imaginary: bm + depth * columns, rowStride: columns), depth: depth, columns: columns,
                                   into: &panels)
                cr.withUnsafeMutableBufferPointer { cr in
                    ci.withUnsafeMutableBufferPointer { ci in
                        complexMultiply(rows: rows, columns: columns, depth: depth,
                                        ComplexMatrix(real: am, imaginary: am + rows * lda, rowStride: lda), panels: panels,
                                        into: ComplexMatrix(real: cr.baseAddress!, imaginary: ci.baseAddress!, rowStride: ldc),
                                        accumulate: accumulate)
                    }
                }
            }
        }
        #expect(!panels.contains { $0.isNaN })
        #expect(maximumDifference(cr, expectedReal) < 1e-4 && maximumDifference(ci, expectedImaginary) < 1e-4)
    }

    private func wave(_ count: Int, _ frequency: Double) -> [Float] {
        (0..<count).map { Float(sin(Double($0) * frequency)) }
    }

    private func maximumDifference(_ values: [Float], _ expected: [Float]) -> Float {
        zip(values, expected).map { abs($0 - $1) }.max() ?? .nan
    }
}
