import Kernels
import Randomness
import Testing

/// Batch norm with pooling in its pass equals batch norm followed by 2x2 average pooling, value
/// for value: forward outputs and every gradient, in both modes, with and without the ReLU, on
/// planes whose rows hold whole vectors of windows and planes with odd sizes and short rows.
@Suite struct BatchNormPoolTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let batch: Int, channels: Int, height: Int, width: Int
        var testDescription: String { "\(batch)x\(channels)x\(height)x\(width)" }
    }

    static let cases = [Case(batch: 3, channels: 5, height: 8, width: 32), Case(batch: 2, channels: 3, height: 7, width: 21),
                        Case(batch: 2, channels: 4, height: 6, width: 4), Case(batch: 1, channels: 40, height: 33, width: 34)]

    static func random(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in generator.normal() }
    }

    @Test(arguments: cases, [false, true])
    func pooledPassEqualsBatchNormThenPooling(_ c: Case, relu: Bool) {
        var generator = SeededGenerator(seed: 11)
        let shape = PooledBatchNormShape(batch: c.batch, channels: c.channels, height: c.height, width: c.width)
        let s = shape.normalized
        let x = Self.random(s.batch * s.channels * s.plane, &generator)
        let gamma = Self.random(c.channels, &generator), beta = Self.random(c.channels, &generator)
        let pooledCount = s.batch * s.channels * shape.pooledPlane
        let dy = Self.random(pooledCount, &generator)
        var (mean, invStd) = ([Float](repeating: 0, count: c.channels), [Float](repeating: 0, count: c.channels))
        batchNormStatistics(x, mean: &mean, invStd: &invStd, s, epsilon: 1e-5)

        var full = [Float](repeating: 0, count: x.count), pooled = [Float](repeating: .nan, count: pooledCount)
        batchNormApply(x, gamma: gamma, beta: beta, mean: mean, invStd: invStd, &full, s, relu: relu)
        avgPool2x2Forward(full, &pooled, planes: s.batch * s.channels, height: c.height, width: c.width)
        var fused = [Float](repeating: .nan, count: pooledCount)
        Parallelism.withThreads(2) {
            batchNormPooledApply(x, gamma: gamma, beta: beta, mean: mean, invStd: invStd, &fused, shape, relu: relu)
        }
        #expect(fused == pooled)

        for batchStatistics in [true, false] {
            for overwriting in [true, false] {
                let start = overwriting ? [Float](repeating: .nan, count: x.count) : Self.random(x.count, &generator)
                var (dxFull, dgFull, dbFull) = (start, [Float](repeating: 0.5, count: c.channels), [Float](repeating: -1, count: c.channels))
                var dyFull = [Float](repeating: 0, count: x.count)
                avgPool2x2Backward(dy, &dyFull, planes: s.batch * s.channels, height: c.height, width: c.width)
                if overwriting { dxFull = [Float](repeating: 0, count: x.count) }
                batchNormBackward(x, dyFull, gamma: gamma, mean: mean, invStd: invStd, dx: &dxFull, dgamma: &dgFull, dbeta: &dbFull, s,
                                  batchStatistics: batchStatistics, activated: relu ? full : nil)
                var (dx, dg, db) = (start, [Float](repeating: 0.5, count: c.channels), [Float](repeating: -1, count: c.channels))
                Parallelism.withThreads(2) {
                    batchNormPooledBackward(x, dy, gamma: gamma, beta: beta, mean: mean, invStd: invStd, dx: &dx, dgamma: &dg, dbeta: &db,
                                            shape, relu: relu, batchStatistics: batchStatistics, overwritingDx: overwriting)
                }
                #expect(dx == dxFull, "batch statistics \(batchStatistics), overwriting \(overwriting)")
                #expect(dg == dgFull && db == dbFull)
            }
        }
    }
}
