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

    private func wave(_ count: Int, _ frequency: Double) -> [Float] {
        (0..<count).map { Float(sin(Double($0) * frequency)) }
    }

    private func maximumDifference(_ values: [Float], _ expected: [Float]) -> Float {
        zip(values, expected).map { abs($0 - $1) }.max() ?? .nan
    }
}
