import DatasetIO
import Foundation
import NN
import Testing
@testable import Training

/// The trainer's SGD-Nesterov steps and per-step cosine schedule, against the same updates
/// written out by hand for a linear classifier.
@Suite struct OptimizationTests {
    let features = 3, classes = 3
    let images: [Float] = [1, 0, -1, 0.5, 2, 0, -1, 1, 1, 0, -0.5, 2]
    let labels: [Int32] = [0, 1, 2, 1]
    let initialWeight: [Float] = [0.1, -0.2, 0.3, 0.0, 0.2, -0.1, -0.3, 0.1, 0.2]
    let initialBias: [Float] = [0.05, -0.05, 0]

    /// Mean softmax cross-entropy gradients of W·x + b, in Double.
    func gradients(_ w: [Double], _ b: [Double]) -> (w: [Double], b: [Double]) {
        var gw = [Double](repeating: 0, count: w.count), gb = [Double](repeating: 0, count: b.count)
        let n = labels.count
        for i in 0..<n {
            let x = (0..<features).map { Double(images[i * features + $0]) }
            let logits = (0..<classes).map { c in b[c] + (0..<features).reduce(0.0) { $0 + w[c * features + $1] * x[$1] } }
            let top = logits.max() ?? 0
            let exps = logits.map { Foundation.exp($0 - top) }
            let total = exps.reduce(0, +)
            for c in 0..<classes {
                let d = (exps[c] / total - (c == Int(labels[i]) ? 1 : 0)) / Double(n)
                gb[c] += d
                for f in 0..<features { gw[c * features + f] += d * x[f] }
            }
        }
        return (gw, gb)
    }

    /// PyTorch's SGD: g += λp; buf = g (first step) or μ·buf + g; p -= lr·(g + μ·buf).
    func handTrained(learningRates: [Double], momentum: Double, decay: Double, biasDecay: Double) -> (w: [Double], b: [Double]) {
        var w = initialWeight.map(Double.init), b = initialBias.map(Double.init)
        var bufW = w.map { _ in 0.0 }, bufB = b.map { _ in 0.0 }
        for (t, lr) in learningRates.enumerated() {
            var (gw, gb) = gradients(w, b)
            for i in w.indices { gw[i] += decay * w[i] }
            for i in b.indices { gb[i] += biasDecay * b[i] }
            for i in w.indices { bufW[i] = t == 0 ? gw[i] : momentum * bufW[i] + gw[i] }
            for i in b.indices { bufB[i] = t == 0 ? gb[i] : momentum * bufB[i] + gb[i] }
            for i in w.indices { w[i] -= lr * (gw[i] + momentum * bufW[i]) }
            for i in b.indices { b[i] -= lr * (gb[i] + momentum * bufB[i]) }
        }
        return (w, b)
    }

    func train(exempt: Bool) throws -> (TrainingResult, LinearProbe) {
        let data = try Synthetic.dataset(images, labels: labels, shape: ImageShape(channels: 1, height: 1, width: features),
                                         classes: classes)
        let probe = try LinearProbe(weight: initialWeight, bias: initialBias, features: features)
        let configuration = TrainingConfiguration(epochs: 3, batchSize: 4, optimizer: .sgd(momentum: 0.9, nesterov: true),
                                                  learningRate: 0.5, weightDecay: 0.01, exemptNormAndBiasFromDecay: exempt,
                                                  threads: 1)
        let result = try Trainer(model: probe, data: TrainingData(train: data), configuration: configuration).train()
        return (result, probe)
    }

    @Test(arguments: [false, true])
    func nesterovStepsWithCosineScheduleMatchHandComputation(exempt: Bool) throws {
        let (result, probe) = try train(exempt: exempt)
        // Cosine over 3 steps from 0.5 to 0: 0.5·½(1 + cos(πt/3)) for t = 0, 1, 2.
        let rates = [0.5, 0.375, 0.125]
        #expect(result.history.epochs.map(\.learningRate) == rates)
        let expected = handTrained(learningRates: rates, momentum: 0.9, decay: 0.01, biasDecay: exempt ? 0 : 0.01)
        let worst = zip(probe.weight.values + probe.bias.values, expected.w + expected.b).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(worst < 1e-5, "largest difference from the hand computation: \(worst)")
        // The updates are not trivial: the weights moved well beyond the tolerance.
        let moved = zip(probe.weight.values, initialWeight).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 0.05)
    }

    @Test func adamLowersTheTrainingLoss() throws {
        let data = try Synthetic.images(count: 60, classes: 3, side: 4, noise: 0.3)
        let probe = try LinearProbe(weight: [Float](repeating: 0, count: 48), bias: [0, 0, 0], features: 16)
        let configuration = TrainingConfiguration(epochs: 4, batchSize: 20, optimizer: .adam(), learningRate: 0.01,
                                                  weightDecay: 0, threads: 1)
        let result = try Trainer(model: probe, data: TrainingData(train: data), configuration: configuration).train()
        let losses = result.history.epochs.map(\.trainLoss)
        #expect(losses.count == 4)
        #expect((losses.last ?? 1) < losses[0] * 0.8, "losses \(losses)")
    }
}
