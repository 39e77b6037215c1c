import Kernels
import Randomness
import Testing

/// The optimizer updates split long parameters over the threads: every element must get exactly
/// the update of the rule written out for one element (the same operations in the same order).
@Suite struct OptimizerUpdateTests {
    /// Long enough to split over two threads, with an odd tail.
    static let count = 3 * (1 << 16) + 7

    static func randomValues(_ generator: inout SeededGenerator, positive: Bool = false) -> [Float] {
        (0..<count).map { _ in positive ? abs(generator.normal()) : generator.normal() }
    }

    @Test(arguments: [1, 2])
    func adamUpdatesEveryElementByTheRule(threads: Int) {
        var generator = SeededGenerator(seed: 7)
        var (p, m, v) = (Self.randomValues(&generator), Self.randomValues(&generator), Self.randomValues(&generator, positive: true))
        let g = Self.randomValues(&generator)
        let step = AdamStep(stepSize: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-4, inverseRootCorrection: 3, weightDecay: 1e-4)
        var (expectedP, expectedM, expectedV) = (p, m, v)
        for i in 0..<Self.count {
            let gi = g[i] + step.weightDecay * expectedP[i]
            expectedM[i] = step.beta1 * expectedM[i] + (1 - step.beta1) * gi
            expectedV[i] = step.beta2 * expectedV[i] + (1 - step.beta2) * gi * gi
            expectedP[i] -= step.stepSize * expectedM[i] / (expectedV[i].squareRoot() * step.inverseRootCorrection + step.epsilon)
        }
        Parallelism.withThreads(threads) {
            adamUpdate(&p, gradient: g, firstMoment: &m, secondMoment: &v, count: Self.count, step)
        }
        #expect(p == expectedP)
        #expect(m == expectedM)
        #expect(v == expectedV)
    }

    @Test(arguments: [(1, false, true), (2, false, false), (2, true, true), (2, true, false)])
    func sgdUpdatesEveryElementByTheRule(threads: Int, first: Bool, nesterov: Bool) {
        var generator = SeededGenerator(seed: 8)
        var (p, b) = (Self.randomValues(&generator), Self.randomValues(&generator))
        let g = Self.randomValues(&generator)
        let (lr, mu, decay): (Float, Float, Float) = (0.1, 0.9, 5e-4)
        var (expectedP, expectedB) = (p, b)
        for i in 0..<Self.count {
            let gi = g[i] + decay * expectedP[i]
            expectedB[i] = first ? gi : mu * expectedB[i] + gi
            expectedP[i] -= lr * (nesterov ? gi + mu * expectedB[i] : expectedB[i])
        }
        Parallelism.withThreads(threads) {
            sgdUpdate(&p, gradient: g, velocity: &b, count: Self.count, learningRate: lr, momentum: mu, weightDecay: decay,
                      nesterov: nesterov, first: first)
        }
        #expect(p == expectedP)
        #expect(b == expectedB)
    }
}
