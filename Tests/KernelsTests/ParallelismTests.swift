import Foundation
import Kernels
import Testing

@Suite struct ParallelismTests {
    @Test(arguments: [1, 2, 3])
    func splitCoversEveryIndexOnce(threads: Int) {
        Parallelism.withThreads(threads) {
            for count in [0, 1, 5, 100] {
                let ranges = Parallelism.split(count: count)
                #expect(ranges.flatMap { Array($0) } == Array(0..<count))
                #expect(ranges.count <= max(1, threads))
            }
        }
    }

    /// Independent pieces of work come back in order, each run with kernels on one thread.
    @Test(arguments: [1, 2, 3])
    func mapIndependentlyKeepsTheOrderAndRunsKernelsOnOneThread(threads: Int) throws {
        try Parallelism.withThreads(threads) {
            for count in [0, 1, 7] {
                let results = try Parallelism.mapIndependently(count) { i in (i * i, Parallelism.threads) }
                #expect(results.map(\.0) == (0..<count).map { $0 * $0 })
                #expect(results.allSatisfy { $0.1 == 1 })
            }
        }
    }

    @Test func mapIndependentlyRethrowsAnError() {
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try Parallelism.withThreads(2) { try Parallelism.mapIndependently(9) { i in if i == 6 { throw Failure() } } }
        }
    }

    @Test func forEachIndexVisitsEveryIndexOnceAcrossThreads() {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        defer { visits.deallocate() }
        visits.initialize(repeating: 0)
        Parallelism.withThreads(2) {
            Parallelism.forEachIndex(visits.count) { visits[$0] += 1 }  // each index owns its slot
        }
        #expect(visits.allSatisfy { $0 == 1 })
    }

    /// Elementwise kernels long enough to split over two threads (with a length that is no
    /// multiple of 16) give every element what one thread gives it.
    @Test func elementwiseKernelsSplitOverThreadsCoverEveryElement() {
        let count = 4 * Parallelism.elementwiseMinimumPerThread + 5
        let a = wave(count: count, frequency: 0.37), b = wave(count: count, frequency: 0.11)
        var sum = [Float](repeating: 0, count: count), relu = sum, reluGradient = b, accumulated = a
        Parallelism.withThreads(2) {
            add(a, b, &sum, count: count)
            add(b, into: &accumulated, count: count)
            reluForward(a, &relu, count: count)
            reluBackward(a, b, &reluGradient, count: count)
        }
        #expect(sum == zip(a, b).map { $0 + $1 })
        #expect(accumulated == sum)
        #expect(relu == a.map { max($0, 0) })
        #expect(reluGradient == zip(a, b).map { $0 > 0 ? 2 * $1 : $1 })
    }

    /// Products large enough to split over the threads: wide ones by columns, tall ones by rows,
    /// each with every transpose, padded row strides and accumulation into a non-zero C.
    @Test(arguments: [(m: 40, n: 1100, k: 800), (m: 1100, n: 40, k: 800)], [Transpose.no, .yes])
    func largeProductsSplitOverThreadsMatchOneThread(shape: (m: Int, n: Int, k: Int), transB: Transpose) {
        let (m, n, k) = shape
        #expect(m * n * k >= Parallelism.splitProductMinimumWork)
        for transA in [Transpose.no, .yes] {
            let (lda, ldb, ldc) = ((transA == .no ? k : m) + 2, (transB == .no ? n : k) + 3, n + 1)
            let a = wave(count: (transA == .no ? m : k) * lda, frequency: 0.37)
            let b = wave(count: (transB == .no ? k : n) * ldb, frequency: 0.11)
            func product(threads: Int) -> [Float] {
                var c = wave(count: m * ldc, frequency: 0.05)
                Parallelism.withThreads(threads) {
                    gemm(transA, transB, m: m, n: n, k: k, alpha: 0.5, a, lda: lda, b, ldb: ldb, beta: 1, &c, ldc: ldc)
                }
                return c
            }
            let (one, two) = (product(threads: 1), product(threads: 2))
            let worst = zip(one, two).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(worst < 1e-5, "transA \(transA), transB \(transB), \(m)x\(n)x\(k)")
        }
    }

    private func wave(count: Int, frequency: Double) -> [Float] {
        (0..<count).map { Float(sin(Double($0) * frequency)) }
    }

    @Test func scopedThreadsOverrideAndRestore() {
        let outside = Parallelism.threads
        Parallelism.withThreads(3) { #expect(Parallelism.threads == 3) }
        #expect(Parallelism.threads == outside)
    }
}
