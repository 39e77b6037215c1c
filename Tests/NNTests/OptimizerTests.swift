import Foundation
import Autodiff
import NN
import Randomness
import Testing

@Suite struct OptimizerTests {
    /// One parameter with gradient 2·p (from Σp²), stepped by hand and by the optimiser.
    func quadraticStep(_ optimizer: Optimizer, _ p: Tensor) throws {
        let tape = Tape()
        try tape.backward(from: try tape.record { try (p * p).sum() })
        optimizer.step()
        optimizer.clearGradients()
    }

    @Test func sgdNesterovMatchesTheReferenceRule() throws {
        let p = try Tensor(shape: [2], values: [1, -2], requiresGrad: true)
        let sgd = SGD([ParameterGroup([NamedTensor("p", p)], weightDecay: 0.1)], learningRate: 0.1, momentum: 0.9, nesterov: true)
        var reference: [Double] = [1, -2], buffer: [Double] = [0, 0]
        for step in 0..<3 {
            try quadraticStep(sgd, p)
            for i in 0..<2 {
                let g = 2 * reference[i] + 0.1 * reference[i]
                buffer[i] = step == 0 ? g : 0.9 * buffer[i] + g
                reference[i] -= 0.1 * (g + 0.9 * buffer[i])
            }
        }
        for (a, b) in zip(p.values, reference) { #expect(abs(Double(a) - b) < 1e-5) }
    }

    @Test func adamMatchesTheReferenceRule() throws {
        let p = try Tensor(shape: [2], values: [0.5, -1.5], requiresGrad: true)
        let adam = Adam([ParameterGroup([NamedTensor("p", p)], weightDecay: 0.01)], learningRate: 0.01,
                        beta1: 0.5, beta2: 0.999, epsilon: 1e-4)
        var reference: [Double] = [0.5, -1.5], m: [Double] = [0, 0], v: [Double] = [0, 0]
        for t in 1...4 {
            try quadraticStep(adam, p)
            for i in 0..<2 {
                let g = 2 * reference[i] + 0.01 * reference[i]
                m[i] = 0.5 * m[i] + 0.5 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                let mHat = m[i] / (1 - pow(0.5, Double(t))), vHat = v[i] / (1 - pow(0.999, Double(t)))
                reference[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-4)
            }
        }
        for (a, b) in zip(p.values, reference) { #expect(abs(Double(a) - b) < 1e-5) }
    }

    @Test func parametersWithoutGradientAreNotUpdated() {
        let p = Tensor(shape: [3], repeating: 1, requiresGrad: true)
        let adam = Adam([ParameterGroup([NamedTensor("p", p)])])
        adam.step()
        #expect(p.values == [1, 1, 1])
    }

    @Test func cosineSchedule() {
        let schedule = CosineSchedule(baseLearningRate: 0.1, totalSteps: 100, minimumLearningRate: 0.01)
        #expect(schedule.learningRate(atStep: 0) == 0.1)
        #expect(abs(schedule.learningRate(atStep: 50) - 0.055) < 1e-6)
        #expect(abs(schedule.learningRate(atStep: 100) - 0.01) < 1e-6)
        #expect(abs(schedule.learningRate(atStep: 500) - 0.01) < 1e-6)
    }
}
