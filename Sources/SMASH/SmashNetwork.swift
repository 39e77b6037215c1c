import Autodiff
import NN
import Randomness

/// The SMASH network (paper Sec. 3): a HyperNet that generates every op's 1x1 weights from the
/// architecture's encoding, and the freely learned rest of the main network — the stem, one
/// shared set of KxK convolutions per block (sliced per op), the transitions and the head, all
/// declared at their widest and sliced to the architecture's widths.
///
/// Run it on any architecture of its skeleton: `generate` makes the weight matrix for the
/// architecture (one HyperNet pass), and the call runs the main network with it.
public final class SmashNetwork: Layer {
    public let skeleton: Skeleton
    public let hyperNet: HyperNet
    public let encoder: ArchitectureEncoder
    public let classes: Int
    let stem: Tensor
    /// Per block, the shared convolutions c0…c3 (one for v1) at full width and kernel size.
    let shared: [[Tensor]]
    let transitionNorms: [SlicedBatchNorm]
    let transitionWeights: [Tensor]
    let headNorm: SlicedBatchNorm
    let classifierWeight: Tensor, classifierBias: Tensor
    /// Per block, the freely learned 1x1 weight over the memory's channels, when configured.
    let freeOneByOne: [Tensor]

    /// A SMASH network for images of `inputChannels` channels and `classes` classes, with
    /// orthogonal initial convolutions (as the authors' code), unit batch-norm scales, zero biases.
    public init(skeleton: Skeleton, hyperNet configuration: HyperNetConfiguration = .standard, inputChannels: Int,
                classes: Int, using generator: inout SeededGenerator) throws(SMASHError) {
        try skeleton.validate()
        guard inputChannels >= 1, classes >= 2 else {
            throw .invalidOption(name: "inputChannels/classes", found: "\(inputChannels)/\(classes)", expected: "at least 1 channel and 2 classes")
        }
        self.skeleton = skeleton
        self.classes = classes
        encoder = ArchitectureEncoder(skeleton: skeleton)
        hyperNet = try HyperNet(configuration: configuration, inputChannels: configuration.noiseChannels + encoder.layout.channels,
                                outputChannels: WeightLayout.generatedChannels(skeleton), using: &generator)
        func orthogonal(_ shape: [Int]) -> Tensor {
            let tensor = Tensor(uninitializedShape: shape, requiresGrad: true)
            Initializer.orthogonal(tensor, using: &generator)
            return tensor
        }
        stem = orthogonal([skeleton.blockInputChannels[0], inputChannels, skeleton.stemKernel, skeleton.stemKernel])
        let kernel = skeleton.kernelSizes.max() ?? 1
        shared = (0..<skeleton.blockCount).map { _ in
            (0..<skeleton.convCount).map { index in
                orthogonal([skeleton.maxWidth, index % 2 == 0 ? skeleton.maxBottleneckWidth : skeleton.maxWidth, kernel, kernel])
            }
        }
        transitionNorms = skeleton.blockMaxChannels.dropLast().map { SlicedBatchNorm(channels: $0) }
        transitionWeights = (0 ..< skeleton.blockCount - 1).map { block in
            orthogonal([skeleton.blockInputChannels[block + 1], skeleton.blockMaxChannels[block], 1, 1])
        }
        let last = skeleton.blockMaxChannels[skeleton.blockCount - 1]
        headNorm = SlicedBatchNorm(channels: last)
        classifierWeight = Tensor(uninitializedShape: [classes, last], requiresGrad: true)
        Initializer.uniformFanIn(classifierWeight, using: &generator)
        classifierBias = Tensor(shape: [classes], repeating: 0, requiresGrad: true)
        freeOneByOne = configuration.freelyLearnedOneByOne
            ? skeleton.blockMaxChannels.map { orthogonal([skeleton.maxBottleneckWidth, $0]) } : []
    }

    /// Channels of the images the network classifies.
    public var inputChannels: Int { stem.shape[1] }

    /// The HyperNet's parameters (trained without weight decay by default).
    public var hyperNetParameters: [NamedTensor] { hyperNet.parameters.prefixed("hypernet") }

    /// Every freely learned parameter of the main network.
    public var mainParameters: [NamedTensor] {
        var result = [NamedTensor("stem.weight", stem)]
        for (block, convs) in shared.enumerated() {
            result += convs.enumerated().map { NamedTensor("blocks.\(block).conv\($0.offset).weight", $0.element) }
        }
        for (block, norm) in transitionNorms.enumerated() {
            result += norm.parameters.prefixed("transitions.\(block).bn")
            result.append(NamedTensor("transitions.\(block).conv.weight", transitionWeights[block]))
        }
        result += headNorm.parameters.prefixed("head.bn")
        result += [NamedTensor("head.fc.weight", classifierWeight), NamedTensor("head.fc.bias", classifierBias)]
        result += freeOneByOne.enumerated().map { NamedTensor("blocks.\($0.offset).free1x1.weight", $0.element) }
        return result
    }

    public var parameters: [NamedTensor] { mainParameters + hyperNetParameters }

    public var buffers: [NamedTensor] {
        transitionNorms.enumerated().flatMap { $1.buffers.prefixed("transitions.\($0).bn") } + headNorm.buffers.prefixed("head.bn")
    }

    /// The full 1x1 weight matrix for an encoding [1, channels, rows, S] and noise z [1, z, rows, S].
    public func generate(encoding: Tensor, noise: Tensor) throws -> Tensor {
        let generated = try hyperNet(Tensor.concatChannels(noise.shape[1] > 0 ? [noise, encoding] : [encoding]))
        return try WeightLayout(skeleton: skeleton, columns: encoding.shape[3]).matrix(generated)
    }

    /// Noise z for an encoding of `columns` columns, drawn from `generator`.
    public func noise(columns: Int, using generator: inout SeededGenerator) -> Tensor {
        Tensor.randomNormal(shape: [1, hyperNet.configuration.noiseChannels, encoder.layout.rows, columns], using: &generator)
    }

    /// The weight matrix for `architecture`'s own encoding and fresh noise.
    public func generate(for architecture: Architecture, using generator: inout SeededGenerator) throws -> Tensor {
        let encoding = try encoder.encode(architecture)
        return try generate(encoding: encoding, noise: noise(columns: encoding.shape[3], using: &generator))
    }

    /// Class logits [batch, classes] of `architecture` on `x`, with its 1x1 weights taken from the
    /// generated `matrix`. In `training` mode batch norm uses batch statistics and updates its
    /// running averages; otherwise it uses the statistics `evaluation` names.
    public func callAsFunction(_ x: Tensor, architecture: Architecture, matrix: Tensor, training: Bool,
                               evaluation: EvaluationStatistics = .running) throws -> Tensor {
        try forward(x, architecture: architecture, matrix: matrix, training: training, evaluation: evaluation, kept: nil)
    }

    /// The call, taking the weights it derives from `kept` where they fit this network,
    /// `architecture` and `matrix` and the pass does not train (scoring runs one architecture
    /// over many batches).
    func forward(_ x: Tensor, architecture: Architecture, matrix: Tensor, training: Bool, evaluation: EvaluationStatistics,
                 kept: KeptWeights?) throws -> Tensor {
        guard architecture.skeleton == skeleton else {
            throw SMASHError.skeletonMismatch(expected: "\(skeleton.structure) N=\(skeleton.unit)",
                                              found: architecture.skeleton.firstDifference(from: skeleton) ?? "another skeleton")
        }
        try architecture.validate()
        let contexts = MemoryBankForward.contexts(architecture)
        let kept = !training && kept?.fits(self, architecture, matrix: matrix) == true ? kept : nil
        let weights = GeneratedOpWeights(network: self, matrix: matrix, kept: kept)
        var h = try x.conv2d(stem, padding: Tensor.samePadding(kernel: Pair(skeleton.stemKernel, skeleton.stemKernel)),
                             memo: kept?.memos.memo(.stem)).relu()
        var start = 0
        for block in 0..<skeleton.blockCount {
            let end = start + architecture.blocks[block].ops.count
            h = try MemoryBankForward.block(h, architecture: architecture, index: block, contexts: contexts[start..<end], weights: weights)
            start = end
            if block < skeleton.blockCount - 1 {
                let weight = try kept.weight(.transition(block: block)) {
                    try cropped(transitionWeights[block], outputs: transitionWeights[block].shape[0], inputs: h.shape[1], kernel: 1)
                }
                // BN-ReLU-1x1-2x2 average pool, pooled before the 1x1: the same map (both are
                // linear and act on different axes) at a quarter of the 1x1's multiply-adds, and
                // pooled in batch norm's pass, whose full-resolution output is never stored.
                h = try transitionNorms[block](h, training: training, evaluation: evaluation, relu: true, pooled: true).conv2d(weight)
            }
        }
        let features = try headNorm(h, training: training, evaluation: evaluation, relu: true).globalAvgPool()
        let columns = features.shape[1]
        let fc = columns == classifierWeight.shape[1] ? classifierWeight : try classifierWeight.slice([0..<classes, 0..<columns])
        return try features.linear(weight: fc, bias: classifierBias)
    }
}

/// The SMASH network's op weights: generated 1x1 (divided by its Frobenius norm, optionally plus
/// the block's freely learned part) and the block's shared KxK convolutions, cropped.
struct GeneratedOpWeights: OpWeights {
    let network: SmashNetwork
    let matrix: Tensor
    let kept: KeptWeights?

    func bottleneck(_ reads: [Tensor], _ context: OpContext) throws -> Tensor {
        let weight = try kept.weight(.bottleneck(op: context.global)) { try bottleneckWeight(context).frobeniusNormalized() }
        return try Tensor.conv2d(concatenating: reads, weight, relu: true)
    }

    /// The op's generated 1x1 weight, plus the block's freely learned part where configured.
    private func bottleneckWeight(_ context: OpContext) throws -> Tensor {
        var weight = try WeightLayout.opWeight(matrix, geometry: context.geometry)
        if !network.freeOneByOne.isEmpty {
            let free = network.freeOneByOne[context.geometry.block]
            let (width, bankChannels) = (free.shape[1], context.bankSize * network.skeleton.unit)
            var indices = [Int]()
            indices.reserveCapacity(weight.count)
            for output in 0..<context.geometry.bottleneck {
                for bank in context.op.reads {
                    for channel in bank * bankChannels ..< (bank + 1) * bankChannels { indices.append(output * width + channel) }
                }
            }
            weight = try weight + free.gather(indices, shape: weight.shape)
        }
        return weight
    }

    func conv(_ input: Tensor, index: Int, spec: ConvSpec, _ context: OpContext) throws -> Tensor {
        let weight = try kept.weight(.conv(op: context.global, index: index)) {
            try cropped(network.shared[context.geometry.block][index], outputs: context.geometry.outputChannels,
                        inputs: input.shape[1] / spec.groups, kernel: spec.kernel)
        }
        return try input.conv2d(weight, padding: Tensor.samePadding(kernel: spec.kernel, dilation: spec.dilation),
                                dilation: spec.dilation, groups: spec.groups, memo: kept?.memos.memo(.op(context.global, conv: index)))
    }
}

/// A spatial convolution of a SMASH network, the key of the kernel spectra kept for scoring
/// (`KeptWeights.memos`).
enum SmashConvolution: Hashable, Sendable {
    /// The stem.
    case stem
    /// Convolution `conv` (0...3) of the op with global index `op`.
    case op(Int, conv: Int)
}

/// The first `outputs` filters and `inputs` input channels of a [out, in, kh, kw] weight, with the
/// centred `kernel` crop of its taps (the weight itself when nothing is cut).
func cropped(_ weight: Tensor, outputs: Int, inputs: Int, kernel: Pair) throws -> Tensor {
    let (height, width) = (weight.shape[2], weight.shape[3])
    if outputs == weight.shape[0], inputs == weight.shape[1], kernel == Pair(height, width) { return weight }
    guard outputs <= weight.shape[0], inputs <= weight.shape[1], kernel.y <= height, kernel.x <= width else {
        throw SMASHError.invalidArchitecture(path: "convolution",
                                             message: "needs [\(outputs), \(inputs), \(kernel)] of a \(weight.shape) weight")
    }
    let (top, left) = ((height - kernel.y) / 2, (width - kernel.x) / 2)
    return try weight.slice([0 ..< outputs, 0 ..< inputs, top ..< top + kernel.y, left ..< left + kernel.x])
}
