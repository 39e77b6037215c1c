import Autodiff
import Kernels
import Randomness
import Testing

@Suite struct TapeTests {
    /// A HyperNet-style generator: a 1x1 conv produces a tensor that is sliced, permuted and
    /// reshaped into the weights of another convolution. The error must flow back into the
    /// generator's parameters.
    @Test func gradientsFlowThroughAGeneratedThenSlicedWeight() throws {
        let generatorWeights = randomTensor([12, 3, 1, 1], seed: 1)
        let code = randomTensor([1, 3, 2, 2], seed: 2)
        let x = randomTensor([2, 2, 5, 5], seed: 3)
        try checkGradients([generatorWeights, code, x]) { t in
            let generated = try t[1].conv2d(t[0])  // [1, 12, 2, 2]: 48 values
            let sliced = try generated.sliceChannels(2..<11)  // 9 channels, 36 values
            // Take 3x2x3x1 = 18 of them in a permuted order as a [3, 2, 3, 1] kernel.
            let weight = try sliced.gather((0..<18).map { ($0 * 7) % 36 }, shape: [3, 2, 3, 1])
            return try t[2].conv2d(weight.frobeniusNormalized(), padding: Pair(1, 0))
        }
    }

    @Test func parametersReceiveGradientsAndPlainInputsNone() throws {
        let tape = Tape()
        let weight = randomTensor([2, 3, 1, 1], seed: 4).detached(requiresGrad: true)
        let x = randomTensor([1, 3, 2, 2], seed: 5)
        // The weight is transformed before it meets the input: that step must be recorded too.
        let loss = try tape.record { try x.conv2d(weight.scaled(by: 1)).sum() }
        #expect(loss.tape === tape)
        try tape.backward(from: loss)
        #expect(weight.hasGrad)
        #expect(!x.hasGrad, "an input that needs no gradient gets none")
        // dL/dw[o, c] = Σ x[c, :] for a sum loss
        let expected = (0..<3).map { c in (0..<4).reduce(Float(0)) { $0 + x.data[c * 4 + $1] } }
        for (value, reference) in zip(weight.gradValues, expected + expected) { #expect(abs(value - reference) < 1e-5) }
    }

    @Test func nothingIsRecordedOutsideRecording() throws {
        let weight = randomTensor([2, 3, 1, 1], seed: 4).detached(requiresGrad: true)
        let out = try randomTensor([1, 3, 2, 2], seed: 5).conv2d(weight)
        #expect(out.tape == nil && !out.requiresGrad)
    }

    @Test func gradientsAccumulateOverSharedUses() throws {
        let tape = Tape()
        let a = Tensor(shape: [2], repeating: 3, requiresGrad: true)
        try tape.backward(from: try tape.record { try (a * a + a).sum() })
        #expect(a.gradValues == [7, 7])
    }

    /// The first contribution to a gradient overwrites a fresh buffer, the next ones add to it,
    /// whatever the freshly allocated memory held.
    @Test func firstContributionOverwritesAndLaterOnesAdd() {
        let gradient = Gradient(count: 3)
        var fresh: [Bool] = []
        for values: [Float] in [[1, 2, 3], [10, 20, 30]] {
            gradient.contribute { buffer, isFresh in
                fresh.append(isFresh)
                copy(values, into: buffer, count: 3, accumulate: !isFresh)
            }
        }
        #expect(fresh == [true, false])
        #expect(gradient.values == [11, 22, 33])
    }

    /// A ReLU output read by two adjoints (two convolutions and an addition): the first writes
    /// the fresh gradient, the others add to it.
    @Test func sharedActivationsGetEveryContribution() throws {
        let x = randomTensor([2, 3, 5, 5], seed: 6)
        let (w1, w2) = (randomTensor([3, 3, 3, 3], seed: 7), randomTensor([3, 1, 3, 3], seed: 8))
        try checkGradients([x, w1, w2]) { t in
            let activated = t[0].relu()
            return try activated.conv2d(t[1], padding: 1) + activated.conv2d(t[2], padding: 1, groups: 3) + activated
        }
    }

    /// The tape keeps only what adjoints read: a convolution's output that feeds only a ReLU (whose
    /// adjoint reads its own output) is freed during the forward pass, and backward frees the
    /// values it has finished with while the tape itself lives on.
    @Test func tapeKeepsOnlyTheValuesBackwardReads() throws {
        let tape = Tape()
        let weight = randomTensor([2, 3, 1, 1], seed: 4).detached(requiresGrad: true)
        let second = randomTensor([2, 2, 1, 1], seed: 6).detached(requiresGrad: true)
        let x = randomTensor([1, 3, 2, 2], seed: 5)
        weak var convolved: Tensor?
        weak var activated: Tensor?
        let loss = try tape.record {
            let y = try x.conv2d(weight)
            let z = y.relu()
            (convolved, activated) = (y, z)
            return try z.conv2d(second).sum()
        }
        #expect(convolved == nil, "no adjoint reads the first convolution's output")
        #expect(activated != nil, "the second convolution's weight gradient reads its input")
        try tape.backward(from: loss)
        #expect(activated == nil, "backward lets go of what it has used")
        #expect(weight.hasGrad && second.hasGrad)
    }

    /// A leaky ReLU with a non-negative slope reads its output in backward, so its input is
    /// freed once the forward pass is done with it; with a negative slope the input is kept.
    @Test(arguments: [(slope: Float(0.02), keepsInput: false), (slope: -0.5, keepsInput: true)])
    func leakyReLUKeepsItsInputOnlyForANegativeSlope(slope: Float, keepsInput: Bool) throws {
        let tape = Tape()
        let weight = randomTensor([2, 3, 1, 1], seed: 4).detached(requiresGrad: true)
        weak var input: Tensor?
        let loss = try tape.record {
            let y = try randomTensor([1, 3, 2, 2], seed: 5).conv2d(weight)
            input = y
            return try y.leakyReLU(slope: slope).sum()
        }
        #expect((input != nil) == keepsInput)
        try tape.backward(from: loss)
        #expect(weight.hasGrad)
    }

    @Test func badShapesThrowNamingBothShapes() throws {
        let a = Tensor(shape: [2, 3]), b = Tensor(shape: [3, 2])
        #expect(throws: TensorError.shapeMismatch(operation: "add", expected: [2, 3], found: [3, 2])) { try a + b }
        let x = Tensor(shape: [1, 4, 5, 5]), w = Tensor(shape: [2, 3, 3, 3])
        do {
            _ = try x.conv2d(w)
            Issue.record("expected a shape error")
        } catch let error as TensorError {
            #expect(error.description.contains("[1, 4, 5, 5]") && error.description.contains("[2, 3, 3, 3]"))
        }
        #expect(throws: TensorError.self) { try x.conv2d(Tensor(shape: [2, 4, 7, 7])) }
        #expect(throws: TensorError.self) { try x.conv2d(Tensor(shape: [3, 2, 1, 1]), groups: 2) }
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 3]).softmaxCrossEntropy(labels: [0, 3]) }
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 3]).softmaxCrossEntropy(labels: [0]) }
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 3]).matmul(Tensor(shape: [2, 3])) }
        #expect(throws: TensorError.self) { try x.sliceChannels(3..<6) }
        #expect(throws: TensorError.self) { try x.reshaped([3, 3]) }
        #expect(throws: TensorError.self) { try Tensor(shape: [2], values: [1, 2, 3]) }
        #expect(throws: TensorError.self) { try Tape().backward(from: Tensor(shape: [2])) }
    }
}
