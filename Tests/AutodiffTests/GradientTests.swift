import Autodiff
import Kernels
import Randomness
import Testing

/// Finite-difference checks of every differentiable operation.
@Suite struct GradientTests {
    struct ConvCase: Sendable, CustomTestStringConvertible {
        var input: [Int]
        var weight: [Int]
        var stride: Pair = 1
        var padding: Pair = 0
        var dilation: Pair = 1
        var groups = 1
        var testDescription: String { "x\(input) w\(weight) s\(stride) p\(padding) d\(dilation) g\(groups)" }
    }

    static let convCases: [ConvCase] = [
        ConvCase(input: [2, 3, 6, 5], weight: [4, 3, 3, 3], padding: 1),
        ConvCase(input: [2, 4, 9, 8], weight: [4, 2, 3, 3], padding: 2, dilation: 2, groups: 2),
        ConvCase(input: [3, 8, 9, 10], weight: [8, 1, 5, 3], stride: 2, padding: Pair(6, 1), dilation: Pair(3, 1), groups: 8),
        ConvCase(input: [2, 4, 7, 7], weight: [8, 1, 3, 7], stride: Pair(2, 1), padding: Pair(1, 3), groups: 4),
        ConvCase(input: [3, 6, 4, 5], weight: [4, 6, 1, 1]),
        ConvCase(input: [1, 6, 4, 5], weight: [6, 2, 1, 1], groups: 3),
    ]

    @Test(arguments: convCases)
    func convolution(_ c: ConvCase) throws {
        let x = randomTensor(c.input, seed: 1), w = randomTensor(c.weight, seed: 2)
        try checkGradients([x, w]) { t in
            try t[0].conv2d(t[1], stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        }
    }

    @Test func elementwise() throws {
        let a = randomTensor([2, 3, 4], seed: 1), b = randomTensor([2, 3, 4], seed: 2)
        try checkGradients([a, b]) { t in try t[0] + t[1] }
        try checkGradients([a, b]) { t in try t[0] * t[1] }
        try checkGradients([a]) { t in t[0].scaled(by: -1.5) }
        try checkGradients([a]) { t in t[0].sum() }
        try checkGradients([a]) { t in t[0].mean() }
        try checkGradients([a]) { t in t[0].meanSquare() }
    }

    @Test func activations() throws {
        let x = randomTensor([3, 2, 4, 4], seed: 3, margin: 0.05)
        try checkGradients([x]) { t in t[0].relu() }
        try checkGradients([x]) { t in t[0].leakyReLU(slope: 0.02) }
        try checkGradients([x]) { t in t[0].leakyReLU(slope: -0.5) }
    }

    @Test func pooling() throws {
        let x = randomTensor([2, 3, 5, 6], seed: 4)
        try checkGradients([x]) { t in try t[0].avgPool2x2() }
        try checkGradients([x]) { t in try t[0].globalAvgPool() }
        // Even planes: the adjoint writes a fresh gradient, or adds to one already there.
        let even = randomTensor([2, 3, 4, 6], seed: 5)
        try checkGradients([even]) { t in try t[0].avgPool2x2() }
        try checkGradients([even]) { t in try t[0].avgPool2x2().globalAvgPool() + t[0].globalAvgPool() }
    }

    @Test(arguments: [true, false])
    func batchNorm(training: Bool) throws {
        let x = randomTensor([3, 4, 3, 2], seed: 5)
        let gamma = randomTensor([4], seed: 6), beta = randomTensor([4], seed: 7)
        let running = RunningStatistics(mean: randomTensor([4], seed: 8), variance: Tensor(shape: [4], repeating: 1.5),
                                        momentum: 0)
        try checkGradients([x, gamma, beta], step: 3e-3) { t in
            try t[0].batchNorm(gamma: t[1], beta: t[2], running: running, training: training)
        }
    }

    /// Batch norm with ReLU and pooling in its pass, on even and odd planes; a plane under 2x2
    /// cannot be pooled.
    @Test(arguments: [true, false])
    func batchNormPooled(training: Bool) throws {
        let gamma = randomTensor([4], seed: 6), beta = randomTensor([4], seed: 7)
        let running = RunningStatistics(mean: randomTensor([4], seed: 8), variance: Tensor(shape: [4], repeating: 1.5),
                                        momentum: 0)
        for shape in [[3, 4, 4, 6], [2, 4, 5, 3]] {
            let x = randomTensor(shape, seed: 5, margin: 0.05)
            try checkGradients([x, gamma, beta], step: 3e-3) { t in
                try t[0].batchNorm(gamma: t[1], beta: t[2], running: running, training: training, relu: true, pooled: true)
            }
            let y = try x.batchNorm(gamma: gamma, beta: beta, running: running, training: training, relu: true, pooled: true)
            #expect(y.shape == [shape[0], 4, shape[2] / 2, shape[3] / 2])
        }
        #expect(throws: TensorError.self) {
            try randomTensor([1, 4, 1, 6], seed: 5).batchNorm(gamma: gamma, beta: beta, running: running, training: training, pooled: true)
        }
    }

    /// An input that feeds batch norm and another op: whichever adjoint runs second adds to the
    /// input's gradient instead of writing over it.
    @Test(arguments: [true, false])
    func batchNormOfAnInputUsedTwice(training: Bool) throws {
        let x = randomTensor([3, 4, 3, 2], seed: 5)
        let gamma = randomTensor([4], seed: 6), beta = randomTensor([4], seed: 7)
        let running = RunningStatistics(mean: randomTensor([4], seed: 8), variance: Tensor(shape: [4], repeating: 1.5),
                                        momentum: 0)
        try checkGradients([x, gamma, beta], step: 3e-3) { t in
            try t[0].batchNorm(gamma: t[1], beta: t[2], running: running, training: training, relu: true) * t[0]
        }
        try checkGradients([x, gamma, beta], step: 3e-3) { t in
            try t[0] * t[0].batchNorm(gamma: t[1], beta: t[2], running: running, training: training)
        }
        // Batch norm's adjoint first (the other op was recorded before it), then after another.
        try checkGradients([x, gamma, beta], step: 3e-3) { t in
            try t[0].relu() + t[0].batchNorm(gamma: t[1], beta: t[2], running: running, training: training)
        }
        for pooledFirst in [true, false] {
            try checkGradients([x, gamma, beta], step: 3e-3) { t in
                let pooled = { try t[0].batchNorm(gamma: t[1], beta: t[2], running: running, training: training, relu: true, pooled: true) }
                return pooledFirst ? try pooled() + t[0].avgPool2x2() : try t[0].avgPool2x2() + pooled()
            }
        }
    }

    /// Batch norm with a fused ReLU equals batch norm followed by ReLU: values and gradients.
    @Test(arguments: [true, false])
    func batchNormWithFusedReLU(training: Bool) throws {
        let gamma = randomTensor([4], seed: 6), beta = randomTensor([4], seed: 7)
        let upstream = randomTensor([3, 4, 5, 6], seed: 9)
        func run(fused: Bool) throws -> [[Float]] {
            let x = randomTensor([3, 4, 5, 6], seed: 5).detached(requiresGrad: true)
            let (g, b) = (gamma.detached(requiresGrad: true), beta.detached(requiresGrad: true))
            let running = RunningStatistics(mean: randomTensor([4], seed: 8), variance: Tensor(shape: [4], repeating: 1.5),
                                            momentum: 0)
            let tape = Tape()
            let y = try tape.record {
                fused ? try x.batchNorm(gamma: g, beta: b, running: running, training: training, relu: true)
                    : try x.batchNorm(gamma: g, beta: b, running: running, training: training).relu()
            }
            let values = Array(UnsafeBufferPointer(start: y.data, count: y.count))
            try tape.backward(from: y, gradient: Array(UnsafeBufferPointer(start: upstream.data, count: upstream.count)))
            return [values, x.gradValues, g.gradValues, b.gradValues]
        }
        let fused = try run(fused: true), separate = try run(fused: false)
        #expect(fused[0].contains(0) && fused[0].contains { $0 > 0 })
        for (a, b) in zip(fused, separate) {
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "max difference \(worst)")
        }
    }

    @Test func softmaxCrossEntropy() throws {
        let logits = randomTensor([5, 7], seed: 9)
        try checkGradients([logits]) { t in try t[0].softmaxCrossEntropy(labels: [0, 6, 3, 3, 1]) }
    }

    @Test func channelsConcatAndSlice() throws {
        let a = randomTensor([2, 3, 2, 2], seed: 10), b = randomTensor([2, 2, 2, 2], seed: 11)
        try checkGradients([a, b]) { t in try Tensor.concatChannels([t[0], t[1], t[0]]) }
        try checkGradients([a]) { t in try t[0].sliceChannels(1..<3) }
    }

    /// Adding a channel slice of another tensor: the values of slicing first, gradients for both
    /// operands (also the same tensor on both sides), and a clear error for a slice that does
    /// not fit.
    @Test func addingAChannelSlice() throws {
        let a = randomTensor([2, 2, 3, 2], seed: 17), source = randomTensor([2, 5, 3, 2], seed: 18)
        let fused = try a.adding(channels: 2..<4, of: source)
        #expect(fused.values == (try a + source.sliceChannels(2..<4)).values)
        try checkGradients([a, source]) { t in try t[0].adding(channels: 2..<4, of: t[1]) }
        try checkGradients([source]) { t in try t[0].sliceChannels(0..<2).adding(channels: 3..<5, of: t[0]) }
        #expect(throws: TensorError.self) { try a.adding(channels: 4..<6, of: source) }
        #expect(throws: TensorError.self) { try a.adding(channels: 0..<3, of: source) }
    }

    /// The convolution of a concatenation that keeps the parts instead: same values as
    /// concatenating first, gradients for every part (one used twice) and the weight, and also
    /// when only the parts or only the weight need one.
    @Test func convolutionOfAConcatenation() throws {
        let a = randomTensor([2, 3, 4, 5], seed: 13), b = randomTensor([2, 2, 4, 5], seed: 14)
        let w = randomTensor([6, 4, 3, 1], seed: 15)
        let fused = try Tensor.conv2d(concatenating: [a, b, a], w, padding: Pair(1, 0), groups: 2)
        let reference = try Tensor.concatChannels([a, b, a]).conv2d(w, padding: Pair(1, 0), groups: 2)
        for (value, expected) in zip(fused.values, reference.values) { #expect(abs(value - expected) < 1e-5) }
        try checkGradients([a, b, w]) { t in try Tensor.conv2d(concatenating: [t[0], t[1], t[0]], t[2], padding: Pair(1, 0), groups: 2) }
        try checkGradients([a, b]) { t in try Tensor.conv2d(concatenating: [t[0], t[1], t[0]], w, padding: Pair(1, 0), groups: 2) }
        try checkGradients([w]) { t in try Tensor.conv2d(concatenating: [a, b, a], t[0], padding: Pair(1, 0), groups: 2) }
        #expect(throws: TensorError.self) { try Tensor.conv2d(concatenating: [a, randomTensor([2, 2, 4, 4], seed: 16)], w) }
    }

    /// A 1x1 convolution of a concatenation reads the parts in place and may apply a ReLU as it
    /// writes: same values and gradients as concatenating, convolving and activating (finite
    /// differences would straddle the ReLU's kink at many of the outputs a weight reaches), and
    /// without the ReLU gradients that match finite differences; a single part whose gradient is
    /// written first and then added to, in both orders.
    @Test func pointwiseConvolutionOfAConcatenationWithReLU() throws {
        let a = randomTensor([2, 3, 5, 7], seed: 21), b = randomTensor([2, 2, 5, 7], seed: 22)
        let w = randomTensor([6, 4, 1, 1], seed: 23), square = randomTensor([3, 3, 1, 1], seed: 24)
        let cases: [(fused: ([Tensor]) throws -> Tensor, reference: ([Tensor]) throws -> Tensor, inputs: [Tensor])] = [
            ({ t in try Tensor.conv2d(concatenating: [t[0], t[1], t[0]], t[2], groups: 2, relu: true) },
             { t in try Tensor.concatChannels([t[0], t[1], t[0]]).conv2d(t[2], groups: 2).relu() }, [a, b, w]),
            ({ t in try Tensor.conv2d(concatenating: [t[0]], t[1], relu: true) + t[0] },
             { t in try t[0].conv2d(t[1]).relu() + t[0] }, [a, square]),
            ({ t in try t[0] + Tensor.conv2d(concatenating: [t[0]], t[1], relu: true) },
             { t in try t[0] + t[0].conv2d(t[1]).relu() }, [a, square]),
        ]
        for (fused, reference, inputs) in cases {
            let (values, gradients) = try valuesAndGradients(inputs, fused)
            let (expectedValues, expectedGradients) = try valuesAndGradients(inputs, reference)
            #expect(values.contains(0) || inputs.count == 2)
            for (value, expected) in zip(values, expectedValues) { #expect(abs(value - expected) < 1e-5) }
            for (gradient, expected) in zip(gradients, expectedGradients) {
                for (value, reference) in zip(gradient, expected) { #expect(abs(value - reference) < 1e-4) }
            }
        }
        try checkGradients([a, b, w]) { t in try Tensor.conv2d(concatenating: [t[0], t[1], t[0]], t[2], groups: 2) }
        try checkGradients([a, square]) { t in try Tensor.conv2d(concatenating: [t[0]], t[1]) + t[0] }
    }

    /// The values of `f(inputs)` and the gradients of the inputs for seeded output weights.
    private func valuesAndGradients(_ inputs: [Tensor], _ f: ([Tensor]) throws -> Tensor) throws -> ([Float], [[Float]]) {
        var generator = SeededGenerator(seed: 5)
        let tape = Tape()
        let taped = inputs.map { $0.detached(requiresGrad: true) }
        let output = try tape.record { try f(taped) }
        try tape.backward(from: output, gradient: (0..<output.count).map { _ in generator.normal() })
        return (output.values, taped.map(\.gradValues))
    }

    @Test func shapeOperations() throws {
        let x = randomTensor([2, 3, 4], seed: 12)
        try checkGradients([x]) { t in try t[0].reshaped([4, 6]) }
        try checkGradients([x]) { t in try t[0].slice([1..<2, 0..<3, 1..<3]) }
        try checkGradients([x]) { t in try t[0].gather([5, 0, 5, 23, 7, 11], shape: [2, 3]) }
        try checkGradients([x]) { t in try t[0].slice([0..<2, 1..<3, 1..<4], shape: [2, 6, 1]) }
        try checkGradients([x]) { t in try t[0].permuted([2, 0, 1]) }
        try checkGradients([x]) { t in try t[0].permuted([1, 3, 0, 2], dimensions: [2, 3, 2, 2], shape: [6, 4]) }
        try checkGradients([x]) { t in try t[0].permuted([0], dimensions: [24]) }
    }

    /// A permutation puts every element where the axes say, and its adjoint adds every gradient
    /// element back where it came from (an input used twice gets both).
    @Test func permutedMovesEveryElementAndItsGradient() throws {
        let x = try Tensor(shape: [2, 3, 4], values: (0..<24).map(Float.init), requiresGrad: true)
        let tape = Tape()
        let y = try tape.record { try x.permuted([1, 2, 0], shape: [12, 2]) }
        #expect(y.shape == [12, 2])
        for a in 0..<2 {
            for b in 0..<3 {
                for c in 0..<4 { #expect(y.values[(b * 4 + c) * 2 + a] == Float((a * 3 + b) * 4 + c)) }
            }
        }
        try tape.backward(from: y, gradient: (0..<24).map { Float($0) })
        for a in 0..<2 {
            for b in 0..<3 {
                for c in 0..<4 { #expect(x.gradValues[(a * 3 + b) * 4 + c] == Float((b * 4 + c) * 2 + a)) }
            }
        }
        #expect(throws: TensorError.self) { try x.permuted([0, 0, 1]) }
        #expect(throws: TensorError.self) { try x.permuted([0, 1]) }
        #expect(throws: TensorError.self) { try x.permuted([0, 1], dimensions: [5, 5]) }
        #expect(throws: TensorError.self) { try x.permuted([1, 0], dimensions: [6, 4], shape: [5, 5]) }
        #expect(throws: TensorError.self) { try x.slice([0..<1, 0..<1, 0..<2], shape: [3]) }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul(transposeA: Bool, transposeB: Bool) throws {
        let a = randomTensor(transposeA ? [4, 3] : [3, 4], seed: 13)
        let b = randomTensor(transposeB ? [5, 4] : [4, 5], seed: 14)
        try checkGradients([a, b]) { t in try t[0].matmul(t[1], transposeSelf: transposeA, transposeOther: transposeB) }
    }

    @Test func linear() throws {
        let x = randomTensor([3, 4], seed: 15), w = randomTensor([2, 4], seed: 16), b = randomTensor([2], seed: 17)
        try checkGradients([x, w, b]) { t in try t[0].linear(weight: t[1], bias: t[2]) }
    }

    @Test func frobeniusNormalization() throws {
        let x = randomTensor([3, 2, 3, 3], seed: 18)
        try checkGradients([x], step: 3e-3) { t in t[0].frobeniusNormalized() }
    }
}
