import Foundation
import Kernels
import Testing

/// Small hand-computed cases for the non-convolution kernels. Gradients are checked against
/// finite differences in AutodiffTests.
@Suite struct KnownValueTests {
    @Test func averagePooling() {
        let x: [Float] = [1, 2, 3, 4, 5,
                          5, 6, 7, 8, 9,
                          0, 0, 1, 1, 7]  // 3x5: the odd last row and column are dropped
        var y = [Float](repeating: 0, count: 2)
        avgPool2x2Forward(x, &y, planes: 1, height: 3, width: 5)
        #expect(y == [3.5, 5.5])
        var dx = [Float](repeating: 0, count: 15)
        avgPool2x2Backward([4, 8], &dx, planes: 1, height: 3, width: 5)
        #expect(dx == [1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0])
        var written = [Float](repeating: 7, count: 8)
        avgPool2x2Backward([4, 8], &written, planes: 1, height: 2, width: 4, overwrite: true)
        #expect(written == [1, 1, 2, 2, 1, 1, 2, 2])
        var g = [Float](repeating: 0, count: 2)
        globalAvgPoolForward([1, 2, 3, 6, 0, 0, 4, 8], &g, planes: 2, planeSize: 4)
        #expect(g == [3, 3])
        var dg = [Float](repeating: 1, count: 8)
        globalAvgPoolBackward([4, 8], &dg, planes: 2, planeSize: 4)
        #expect(dg == [2, 2, 2, 2, 3, 3, 3, 3])
    }

    /// Planes enough to split over two threads: every plane pooled, every window's gradient spread.
    @Test func averagePoolingSplitOverThreads() {
        let (planes, height, width) = (64, 48, 47)
        let x = (0..<planes * height * width).map { Float($0 % 251) }
        var y = [Float](repeating: -1, count: planes * 24 * 23)
        var dx = [Float](repeating: 1, count: x.count)
        var written = [Float](repeating: .nan, count: planes * height * 46)
        Parallelism.withThreads(2) {
            avgPool2x2Forward(x, &y, planes: planes, height: height, width: width)
            avgPool2x2Backward(y, &dx, planes: planes, height: height, width: width)
            avgPool2x2Backward(y, &written, planes: planes, height: height, width: 46, overwrite: true)
        }
        // Even planes (46 wide, reading `y` as 24x23 windows) are written whole.
        let expected = written.indices.map { (flat: Int) -> Float in
            let (row, column) = (flat / 46, flat % 46)
            return 0.25 * y[row / 2 * 23 + column / 2]
        }
        #expect(written == expected)
        for p in 0..<planes {
            for i in 0..<24 {
                for j in 0..<23 {
                    let top = (p * height + 2 * i) * width + 2 * j, bottom = top + width
                    let expected = 0.25 * (x[top] + x[top + 1] + x[bottom] + x[bottom + 1])
                    #expect(y[(p * 24 + i) * 23 + j] == expected)
                    #expect([dx[top], dx[top + 1], dx[bottom], dx[bottom + 1]] == Array(repeating: 1 + 0.25 * expected, count: 4))
                }
                #expect(dx[(p * height + 2 * i) * width + width - 1] == 1)
            }
        }
    }

    @Test func batchNormTrainingNormalisesEachChannel() {
        // batch 2, channels 2, plane 2
        let x: [Float] = [1, 3, 10, 10, 5, 7, 20, 40]
        let s = BatchNormShape(batch: 2, channels: 2, plane: 2)
        var y = [Float](repeating: 0, count: 8), mean: [Float] = [0, 0], invStd: [Float] = [0, 0]
        batchNormStatistics(x, mean: &mean, invStd: &invStd, s, epsilon: 0)
        batchNormApply(x, gamma: [2, 1], beta: [0, 1], mean: mean, invStd: invStd, &y, s)
        #expect(mean == [4, 20])
        #expect(abs(invStd[0] - 1 / Float(5).squareRoot()) < 1e-6)  // values 1,3,5,7: variance 5
        let c0 = [y[0], y[1], y[4], y[5]], c1 = [y[2], y[3], y[6], y[7]]
        #expect(abs(c0.reduce(0, +)) < 1e-5)
        #expect(abs(c0.map { $0 * $0 }.reduce(0, +) / 4 - 4) < 1e-4)  // gamma 2: variance 4
        #expect(abs(c1.reduce(0, +) / 4 - 1) < 1e-5)  // beta 1
        var runningMean: [Float] = [0, 0], runningVariance: [Float] = [1, 1]
        batchNormUpdateRunning(runningMean: &runningMean, runningVariance: &runningVariance, mean: mean, invStd: invStd,
                               s, epsilon: 0, momentum: 0.5)
        #expect(runningMean == [2, 10])
        #expect(abs(runningVariance[0] - (0.5 + 0.5 * 5 * 4 / 3)) < 1e-4)  // unbiased batch variance
    }

    @Test func softmaxCrossEntropyOfUniformLogits() {
        let logits: [Float] = [0, 0, 0, 0, 1, 2, 3, 4]
        var logP = [Float](repeating: 0, count: 8)
        let loss = softmaxCrossEntropyForward(logits, labels: [2, 3], logProbabilities: &logP, rows: 2, classes: 4)
        let second = -(4 - log(exp(1) + exp(2) + exp(3) + exp(4) as Double))
        #expect(abs(Double(loss) - (log(4) + second) / 2) < 1e-5)
        var d = [Float](repeating: 0, count: 8)
        softmaxCrossEntropyBackward(logP, labels: [2, 3], dLoss: 1, &d, rows: 2, classes: 4)
        #expect(abs(d[0] - 0.125) < 1e-6 && abs(d[2] - (0.125 - 0.5)) < 1e-6)
        #expect(abs(d[4...].reduce(0, +)) < 1e-6)
    }

    @Test func channelBlocksCopyAndAccumulate() {
        let src: [Float] = [1, 2, 3, 4]  // batch 2, 2 channels, plane 1
        var dst = [Float](repeating: 0, count: 6)  // batch 2, 3 channels
        copyChannels(src, from: ChannelBlock(channels: 2, offset: 0), &dst, to: ChannelBlock(channels: 3, offset: 1),
                     count: 2, batch: 2, plane: 1, accumulate: false)
        #expect(dst == [0, 1, 2, 0, 3, 4])
        copyChannels(src, from: ChannelBlock(channels: 2, offset: 1), &dst, to: ChannelBlock(channels: 3, offset: 0),
                     count: 1, batch: 2, plane: 1, accumulate: true)
        #expect(dst == [2, 1, 2, 4, 3, 4])
    }

    @Test func blocksCopyAndAccumulate() {
        let array: [Float] = (0..<24).map(Float.init)  // shape [2, 3, 4]
        var block = [Float](repeating: 0, count: 4)
        copyBlock(array, shape: [2, 3, 4], ranges: [1..<2, 0..<2, 1..<3], into: &block)
        #expect(block == [13, 14, 17, 18])
        var sum = [Float](repeating: 1, count: 24)
        addBlock([1, 2, 3, 4], into: &sum, shape: [2, 3, 4], ranges: [1..<2, 0..<2, 1..<3])
        #expect(sum.enumerated().filter { $0.element != 1 }.map(\.offset) == [13, 14, 17, 18])
        #expect([sum[13], sum[14], sum[17], sum[18]] == [2, 3, 4, 5])
        var scalar: [Float] = [0]
        copyBlock([7], shape: [], ranges: [], into: &scalar)
        #expect(scalar == [7])
    }

    @Test func frobeniusNormalisation() {
        var y = [Float](repeating: 0, count: 2)
        let norm = frobeniusNormalizeForward([3, 4], &y, count: 2)
        #expect(norm == 5 && y == [0.6, 0.8])
    }

    /// Products by our own tiles where those run, against loops: C += A · Bᵀ with tiles cut
    /// short both ways and a remainder short of a vector; C = A · B and C += A · B over two
    /// panels (the second of two columns) and two depths of B, rows past a whole block of A.
    /// Row strides are padded.
    @Test(arguments: [(m: 11, n: 7, k: 100), (m: 9, n: 4, k: 64), (m: 2, n: 5, k: 70), (m: 11, n: 50, k: 300)],
          [Transpose.no, .yes])
    func productsMatchLoops(shape: (m: Int, n: Int, k: Int), transB: Transpose) {
        let (m, n, k) = shape
        let (lda, ldb, ldc) = (k + 3, (transB == .no ? n : k) + 1, n + 2)
        let a = (0..<m * lda).map { Float(sin(Double($0) * 0.37)) }
        let b = (0..<(transB == .no ? k : n) * ldb).map { Float(cos(Double($0) * 0.11)) }
        for beta: Float in [0, 1] {
            var c = (0..<m * ldc).map { Float($0 % 5) }
            var expected = c
            for i in 0..<m {
                for j in 0..<n {
                    let product = (0..<k).reduce(Float(0)) { $0 + a[i * lda + $1] * b[transB == .no ? $1 * ldb + j : j * ldb + $1] }
                    expected[i * ldc + j] = beta * expected[i * ldc + j] + product
                }
            }
            gemm(.no, transB, m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, beta: beta, &c, ldc: ldc)
            let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst < 1e-4, "\(m)x\(n)x\(k), transB \(transB), beta \(beta): max error \(worst)")
        }
    }

    @Test func gemmWithTransposes() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]  // 2x3
        var c = [Float](repeating: 1, count: 4)
        gemm(.no, .yes, m: 2, n: 2, k: 3, a, lda: 3, a, ldb: 3, beta: 1, &c, ldc: 2)  // A·Aᵀ + 1
        #expect(c == [15, 33, 33, 78])
    }

    /// Every axis order of a 4-D array, on one thread and split over two (2¹⁸ elements), with and
    /// without accumulating: each element lands where index arithmetic says.
    @Test(arguments: [1, 2])
    func permuteMovesEveryElement(threads: Int) {
        let dimensions = [8, 16, 32, 64]
        let strides = [16 * 32 * 64, 32 * 64, 64, 1]
        let x = (0..<dimensions.reduce(1, *)).map { Float($0 % 1000) }
        let orders = [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]]
        for axes in orders {
            var y = [Float](repeating: 0.5, count: x.count)
            Parallelism.withThreads(threads) {
                permute(x, dimensions: dimensions, axes: axes, into: &y)
                permute(x, dimensions: dimensions, axes: axes, into: &y, accumulate: true)
            }
            let extents = axes.map { dimensions[$0] }
            var mismatches = 0
            for flat in 0..<y.count {
                var (rest, source) = (flat, 0)
                for axis in stride(from: 3, through: 0, by: -1) {
                    source += rest % extents[axis] * strides[axes[axis]]
                    rest /= extents[axis]
                }
                if y[flat] != 2 * x[source] { mismatches += 1 }
            }
            #expect(mismatches == 0, "axes \(axes)")
            #expect(inversePermutation(axes).enumerated().allSatisfy { axes[$1] == $0 })
        }
    }

    /// Permutations of few axes: a scalar, a vector, a matrix with a leading extent of one, and a
    /// transposition, with and without accumulating.
    @Test func permuteHandlesFewAxes() {
        var scalar: [Float] = [1]
        permute([5], dimensions: [], axes: [], into: &scalar, accumulate: true)
        #expect(scalar == [6])
        var vector = [Float](repeating: 0, count: 4)
        permute([1, 2, 3, 4], dimensions: [4], axes: [0], into: &vector)
        #expect(vector == [1, 2, 3, 4])
        var row = [Float](repeating: 0, count: 3)
        permute([7, 8, 9], dimensions: [1, 3], axes: [1, 0], into: &row)
        #expect(row == [7, 8, 9])
        var transposed = [Float](repeating: 1, count: 6)
        permute([1, 2, 3, 4, 5, 6], dimensions: [2, 3], axes: [1, 0], into: &transposed, accumulate: true)
        #expect(transposed == [2, 5, 3, 6, 4, 7])
    }

    /// A single sample's channel block long enough to split over two threads: copied, added and
    /// summed exactly where the blocks say.
    @Test func channelCopiesOfOneSampleSplitOverThreads() {
        let (plane, count) = (4096, 40)
        let src = (0..<(count + 8) * plane).map { Float($0 % 977) }
        let base = (0..<count * plane).map { Float($0 % 13) }
        var (copied, added, summed) = ([Float](repeating: 1, count: (count + 3) * plane), base, [Float](repeating: 0, count: count * plane))
        Parallelism.withThreads(2) {
            copyChannels(src, from: ChannelBlock(channels: count + 8, offset: 5), &copied, to: ChannelBlock(channels: count + 3, offset: 3),
                         count: count, batch: 1, plane: plane, accumulate: false)
            copyChannels(src, from: ChannelBlock(channels: count + 8, offset: 8), &added, to: ChannelBlock(channels: count, offset: 0),
                         count: count, batch: 1, plane: plane, accumulate: true)
            addChannels(base, src, from: ChannelBlock(channels: count + 8, offset: 2), &summed, count: count, batch: 1, plane: plane)
        }
        #expect(copied[..<(3 * plane)].allSatisfy { $0 == 1 })
        #expect(Array(copied[(3 * plane)...]) == Array(src[(5 * plane) ..< ((count + 5) * plane)]))
        #expect(added == zip(base, src[(8 * plane)...]).map { $0 + $1 })
        #expect(summed == zip(base, src[(2 * plane)...]).map { $0 + $1 })
    }

    /// Blocks of arrays of rank 1 to 4 copy out and add back exactly the elements inside them.
    @Test func blocksCopyAndAddTheirElements() {
        let cases: [([Int], [Range<Int>])] = [([7], [2..<5]), ([4, 6], [1..<3, 0..<6]), ([3, 5, 7], [0..<3, 1..<4, 2..<7]),
                                              ([4, 3, 7, 7], [1..<3, 0..<2, 2..<5, 2..<5])]
        for (shape, ranges) in cases {
            let count = shape.reduce(1, *)
            let array = (0..<count).map(Float.init)
            var strides = [Int](repeating: 1, count: shape.count)
            for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
            let inside = (0..<count).filter { flat in
                ranges.indices.allSatisfy { ranges[$0].contains(flat / strides[$0] % shape[$0]) }
            }
            var block = [Float](repeating: -1, count: ranges.reduce(1) { $0 * $1.count })
            copyBlock(array, shape: shape, ranges: ranges, into: &block)
            #expect(block == inside.map(Float.init), "\(shape)")
            var sums = [Float](repeating: 1, count: count)
            addBlock(block, into: &sums, shape: shape, ranges: ranges)
            #expect(sums == (0..<count).map { inside.contains($0) ? Float($0) + 1 : 1 }, "\(shape)")
        }
    }
}
