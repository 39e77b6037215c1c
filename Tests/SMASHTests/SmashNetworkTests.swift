import Autodiff
import NN
import Randomness
import Testing
@testable import SMASH

/// The HyperNet, the SMASH network's forward pass and its gradients.
@Suite struct SmashNetworkTests {
    @Test func hyperNetShapesAndSize() throws {
        // The paper's DenseNet on the authors' default encoding (91 channels + noise) has 26
        // layers; with the code's 3x3 compressions it has the code's parameter count.
        var code = HyperNetConfiguration.standard
        code.compressionKernel = 3
        #expect(HyperNet.parameterCount(code, inputChannels: 92, outputChannels: 128) == 582_541)  // REFERENCE-NOTES §5
        let standard = HyperNet.parameterCount(.standard, inputChannels: 92, outputChannels: 128)
        #expect(HyperNet.parameterCount(.crippled, inputChannels: 92, outputChannels: 128) * 10 < standard)
        var generator = SeededGenerator(seed: 0)
        let network = try HyperNet(configuration: .standard, inputChannels: 12, outputChannels: 16, using: &generator)
        #expect(network.parameters.count == 1 + 8 + 1 + 10 + 1 + 4 + 1)
        #expect(network.parameterCount == HyperNet.parameterCount(.standard, inputChannels: 12, outputChannels: 16))
        let output = try network(Tensor.randomNormal(shape: [1, 12, 4, 13], using: &generator))
        #expect(output.shape == [1, 16, 4, 13])
        #expect(throws: SMASHError.self) { try HyperNetConfiguration.preset(named: "huge") }
        var bad = HyperNetConfiguration.standard
        bad.growth = 0
        #expect(throws: SMASHError.self) { try HyperNet(configuration: bad, inputChannels: 4, outputChannels: 4, using: &generator) }
    }

    @Test func forwardIsDeterministicAndShaped() throws {
        let network = try Tiny.network()
        let (images, _) = Tiny.batch(3)
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        let first = try network(images, architecture: Tiny.architecture, matrix: network.generate(for: Tiny.architecture, using: &a),
                                training: false)
        let second = try network(images, architecture: Tiny.architecture, matrix: network.generate(for: Tiny.architecture, using: &b),
                                 training: false)
        #expect(first.shape == [3, 3] && first.values == second.values)
        #expect(first.values.allSatisfy { $0.isFinite })
    }

    @Test(arguments: SearchSpace.presetNames.filter { $0.hasSuffix("fmnist") })
    func sampledArchitecturesRun(name: String) throws {
        var space = try SearchSpace.preset(named: name)
        space.skeleton.kernelSizes = space.skeleton.kernelSizes.filter { $0 <= 5 }  // keeps the debug-build initialisation quick
        var generator = SeededGenerator(seed: 3)
        let network = try SmashNetwork(skeleton: space.skeleton, hyperNet: .crippled, inputChannels: 1, classes: 10, using: &generator)
        let sampler = try ArchitectureSampler(space: space)
        let images = Tensor.randomNormal(shape: [2, 1, 28, 28], using: &generator)
        for _ in 0..<3 {
            let architecture = sampler.sample(using: &generator)
            let logits = try network(images, architecture: architecture, matrix: network.generate(for: architecture, using: &generator),
                                     training: true)
            #expect(logits.shape == [2, 10] && logits.values.allSatisfy { $0.isFinite })
        }
        #expect(throws: SMASHError.self) {
            try network(images, architecture: Tiny.architecture, matrix: network.generate(for: Tiny.architecture, using: &generator),
                        training: false)
        }
    }

    /// The loss gradient with respect to HyperNet weights (through the generated 1x1 weights, their
    /// Frobenius normalisation and the whole main network) matches finite differences, as does the
    /// gradient with respect to the shared KxK weights and the encoding c.
    @Test func gradientsMatchFiniteDifferences() throws {
        let network = try Tiny.network(seed: 11)
        let (images, labels) = Tiny.batch(4, seed: 12)
        var noiseGenerator = SeededGenerator(seed: 13)
        let architecture = Tiny.architecture
        let encoding = try network.encoder.encode(architecture, requiresGrad: true)
        let noise = network.noise(columns: encoding.shape[3], using: &noiseGenerator)
        func loss() throws -> Tensor {
            let matrix = try network.generate(encoding: encoding, noise: noise)
            return try network(images, architecture: architecture, matrix: matrix, training: false).softmaxCrossEntropy(labels: labels)
        }
        let tape = Tape()
        try tape.backward(from: try tape.record { try loss() })
        func objective() throws -> Double { Double(try loss().scalar) }
        for parameter in network.hyperNet.parameters + [NamedTensor("shared", network.shared[0][0]), NamedTensor("c", encoding)] {
            let tensor = parameter.tensor
            let analytic = tensor.gradValues
            #expect(analytic.contains { $0 != 0 }, "\(parameter.name) has no gradient")
            // Float32 rounding of the loss dominates small steps and ReLU kinks large ones: take the best of three.
            let error = try [1e-3, 3e-3, 1e-2].map { try worstGradientError(of: tensor, analytic: analytic, step: $0, objective) }.min() ?? 1
            #expect(error < 3e-2, "\(parameter.name): relative error \(error)")
        }
    }

    @Test func freelyLearnedOneByOneAddsParametersAndRuns() throws {
        var configuration = Tiny.hyperNet
        configuration.freelyLearnedOneByOne = true
        let network = try Tiny.network(hyperNet: configuration)
        let plain = try Tiny.network()
        #expect(network.mainParameters.count == plain.mainParameters.count + 2)
        let (images, labels) = Tiny.batch(2)
        var generator = SeededGenerator(seed: 1)
        let tape = Tape()
        let loss = try tape.record {
            try network(images, architecture: Tiny.architecture, matrix: network.generate(for: Tiny.architecture, using: &generator),
                        training: true).softmaxCrossEntropy(labels: labels)
        }
        try tape.backward(from: loss)
        #expect(network.freeOneByOne[1].gradValues.contains { $0 != 0 })
    }
}
