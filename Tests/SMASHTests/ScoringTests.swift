import Autodiff
import DatasetIO
import Kernels
import NN
import Randomness
import Testing
@testable import SMASH

/// SMASH scores, encoding corruption, and resulting networks.
@Suite struct ScoringTests {
    @Test func scoresAreDeterministicPerArchitectureAndSeed() throws {
        let network = try Tiny.network(seed: 2)
        let scorer = try SmashScorer(network: network, batchSize: 5)
        let validation = try TrainingTests.synthetic(count: 12, seed: 3)
        let first = try scorer.score(Tiny.architecture, on: validation, seed: 1)
        #expect(first == (try scorer.score(Tiny.architecture, on: validation, seed: 1)))
        #expect(first.count == 12 && first.error >= 0 && first.error <= 1 && first.loss > 0)
        #expect(first.loss != (try scorer.score(Tiny.architecture, on: validation, seed: 2)).loss)
        #expect(try scorer.score(Tiny.architecture, on: validation, seed: 1, limit: 5).count == 5)
        let wrong = try Tensor(shape: [1, 2, 3, 4], values: Array(repeating: 0, count: 24))
        #expect(throws: SMASHError.self) { try scorer.score(Tiny.architecture, encoding: wrong, on: validation, seed: 1) }
        #expect(throws: SMASHError.self) { try SmashScorer(network: network, batchSize: 0) }
    }

    @Test func runningStatisticsScoreAlikeWhateverTheBatch() throws {
        let network = try Tiny.network(seed: 2)
        let validation = try TrainingTests.synthetic(count: 2 * SmashScorer.runningPassLimit + 7, seed: 3)
        let small = try SmashScorer(network: network, batchSize: 6).score(Tiny.architecture, on: validation, seed: 1)
        let whole = try SmashScorer(network: network, batchSize: validation.count)
        #expect(whole.passSize == SmashScorer.runningPassLimit)
        let large = try whole.score(Tiny.architecture, on: validation, seed: 1)
        #expect(large.count == small.count && large.error == small.error)
        #expect(abs(large.loss - small.loss) < 1e-5 * small.loss)
    }

    /// Passes run one per thread, each with its kernels on that thread, and add up in pass
    /// order: the score is the same bit for bit whatever the thread count.
    @Test func scoresAreTheSameWhateverTheThreads() throws {
        let network = try Tiny.network(seed: 2)
        let scorer = try SmashScorer(network: network, batchSize: 100)
        let validation = try TrainingTests.synthetic(count: 3 * SmashScorer.runningPassLimit + 4, seed: 5)
        let scores = try [1, 2, 3].map { threads in
            try Parallelism.withThreads(threads) { try scorer.score(Tiny.architecture, on: validation, seed: 1) }
        }
        #expect(scores.allSatisfy { $0 == scores[0] } && scores[0].count == validation.count)
    }

    /// Weights kept from one pass serve the next passes of the same architecture and matrix
    /// with the same logits, and a pass with another matrix or architecture derives its own.
    @Test func keptWeightsServeOnlyTheirArchitectureAndMatrix() throws {
        let network = try Tiny.network(seed: 2)
        var generator = SeededGenerator(seed: 4)
        let (matrix, other) = try (network.generate(for: Tiny.architecture, using: &generator),
                                   network.generate(for: Tiny.architecture, using: &generator))
        let (images, _) = try TrainingTests.synthetic(count: 4, seed: 3).batch(0..<4)
        let kept = KeptWeights(network: network, architecture: Tiny.architecture, matrix: matrix)
        func logits(_ matrix: Tensor, kept: KeptWeights?, architecture: Architecture = Tiny.architecture) throws -> [Float] {
            try network.forward(images, architecture: architecture, matrix: matrix, training: false, evaluation: .running,
                                kept: kept).values
        }
        let expected = try logits(matrix, kept: nil)
        let (first, second) = try (logits(matrix, kept: kept), logits(matrix, kept: kept))
        #expect(first == expected && second == expected)
        var derivedAgain = false
        _ = kept.weight(.bottleneck(op: 0)) {
            derivedAgain = true
            return matrix
        }
        #expect(!derivedAgain, "the first pass keeps the op's weight")
        let (otherExpected, otherKept) = try (logits(other, kept: nil), logits(other, kept: kept))
        #expect(otherExpected != expected && otherKept == otherExpected)
        // The first op convolves in two groups: another crop of the shared convolution.
        var rewired = Tiny.architecture
        rewired.blocks[0].ops[0].convs = [Tiny.conv(Pair(1, 2), groups: 2)]
        try rewired.validate()
        let (rewiredExpected, rewiredKept) = try (logits(matrix, kept: nil, architecture: rewired),
                                                  logits(matrix, kept: kept, architecture: rewired))
        #expect(rewiredExpected != expected && rewiredKept == rewiredExpected)
    }

    @Test func batchStatisticsScoreWithoutTouchingTheRunningOnes() throws {
        let network = try Tiny.network(seed: 2)
        let validation = try TrainingTests.synthetic(count: 12, seed: 3)
        let before = StateDict(network.buffers)
        let batch = try SmashScorer(network: network, batchSize: 6, statistics: .batch)
        let first = try batch.score(Tiny.architecture, on: validation, seed: 1)
        #expect(first == (try batch.score(Tiny.architecture, on: validation, seed: 1)))
        #expect(StateDict(network.buffers) == before, "scoring must not update the running statistics")
        let running = try SmashScorer(network: network, batchSize: 6).score(Tiny.architecture, on: validation, seed: 1)
        #expect(first.loss != running.loss, "an untrained network's running statistics differ from a batch's")
        let larger = try SmashScorer(network: network, batchSize: 12, statistics: .batch).score(Tiny.architecture, on: validation, seed: 1)
        #expect(larger.loss != first.loss, "batch statistics depend on the batch")
    }

    @Test func resultingNetworksTrain() throws {
        var generator = SeededGenerator(seed: 6)
        let input = NetworkInput(channels: 1, height: 8, width: 8, classes: 3)
        let network: any Classifier = try ResultingNetwork(architecture: Tiny.architecture, input: input, using: &generator)
        let data = try TrainingTests.synthetic(count: 30, seed: 7)
        let (images, labels) = try data.batch(0..<30)
        let sgd = SGD([ParameterGroup(network.parameters, weightDecay: 1e-4)], learningRate: 0.05, momentum: 0.9, nesterov: true)
        var losses: [Float] = []
        for _ in 0..<15 {
            let tape = Tape()
            let loss = try tape.record { try network(images, training: true).softmaxCrossEntropy(labels: labels) }
            try tape.backward(from: loss)
            sgd.step()
            sgd.clearGradients()
            losses.append(loss.scalar)
        }
        #expect(losses.last! < losses.first! * 0.5, "\(losses)")
        #expect(try network(images, training: false).shape == [30, 3])
        var broken = Tiny.architecture
        broken.blocks[0].ops[0].reads = [5]
        #expect(throws: SMASHError.self) { try ResultingNetwork(architecture: broken, input: input, using: &generator) }
        #expect(throws: SMASHError.self) {
            try ResultingNetwork(architecture: Tiny.architecture, input: NetworkInput(channels: 1, height: 1, width: 1, classes: 3), using: &generator)
        }
    }
}

/// Encoding corruption on the briefly trained Fashion-MNIST SMASH network (paper Sec. 4.2).
///
/// After a few hundred steps the HyperNet's weights depend on c only weakly, and the score
/// differences between correct and corrupted encodings are a fraction of a percentage point
/// either way, so this checks what is robust: every corruption changes the generated weights,
/// and generated weights work far better than random ones. It prints the mean errors.
@Suite struct CorruptionTests {
    @Test(.enabled(if: FashionMNIST.present, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipped"))
    func corruptedEncodingsChangeTheGeneratedWeights() throws {
        let run = try TrainedOnFashion.run.get()
        let network = run.network
        let scorer = try SmashScorer(network: network)
        let corrupter = try EncodingCorrupter(space: TrainedOnFashion.space)
        var generator = SeededGenerator(seed: 31)
        var means: [String: Double] = [:]
        let count = 6
        for _ in 0..<count {
            let architecture = corrupter.sampler.sample(using: &generator)
            let encoding = try network.encoder.encode(architecture)
            let noise = scorer.noise(for: architecture, columns: encoding.shape[3], seed: 0)
            let weights = try opWeights(network.generate(encoding: encoding, noise: noise), architecture)
            means["correct", default: 0] += try scorer.score(architecture, on: run.validation, seed: 0).error / Double(count)
            for corruption in EncodingCorruption.allCases {
                let corrupted = try corrupter.encoding(of: architecture, corruption: corruption, using: &generator)
                let changed = try opWeights(network.generate(encoding: corrupted, noise: noise), architecture)
                // Identical weights differ by float rounding at most (~1e-7 relative).
                #expect(relativeDifference(weights, changed) > 1e-3, "\(corruption) left the generated weights unchanged")
                means[corruption.rawValue, default: 0] += try scorer.score(architecture, encoding: corrupted, on: run.validation, seed: 0).error
                    / Double(count)
            }
            let random = Tensor.randomNormal(shape: try network.generate(encoding: encoding, noise: noise).shape, using: &generator)
            let (images, labels) = try run.validation.batch(0 ..< run.validation.count)
            means["random weights", default: 0] += Double(try network.evaluate(images, labels: labels, architecture: architecture, matrix: random).errors)
                / Double(labels.count * count)
        }
        print("mean SMASH error by encoding:", means.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(means["random weights", default: 0] > means["correct", default: 1] + 0.1)
    }

    /// Every op's generated 1x1 weights, each divided by its norm, end to end.
    func opWeights(_ matrix: Tensor, _ architecture: Architecture) throws -> [Float] {
        try architecture.geometry.flatMap { try WeightLayout.opWeight(matrix, geometry: $0).frobeniusNormalized().values }
    }

    /// ‖a − b‖ / ‖a‖.
    func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
        let difference = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
        return difference / max(a.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot(), 1e-12)
    }
}
