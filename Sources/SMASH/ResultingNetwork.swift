import Autodiff
import NN
import Randomness

/// The layers of one op of a resulting network: BN-ReLU-1x1-BN, then its KxK convolutions.
final class ResultingOp: Layer {
    let inputNorm: BatchNorm2d
    let oneByOne: Conv2d
    let bottleneckNorm: BatchNorm2d
    let convs: [Conv2d?]

    init(_ context: OpContext, using generator: inout SeededGenerator) throws {
        let place = context.geometry
        inputNorm = BatchNorm2d(channels: place.inputChannels)
        oneByOne = try Conv2d(inChannels: place.inputChannels, outChannels: place.bottleneck, kernel: 1, using: &generator)
        bottleneckNorm = BatchNorm2d(channels: place.bottleneck)
        convs = try context.op.convs.enumerated().map { index, spec in
            guard let spec else { return nil }
            return try Conv2d(inChannels: index % 2 == 0 ? place.bottleneck : place.outputChannels, outChannels: place.outputChannels,
                              kernel: spec.kernel, dilation: spec.dilation, groups: spec.groups, using: &generator)
        }
    }

    var parameters: [NamedTensor] {
        inputNorm.parameters.prefixed("bn_in") + oneByOne.parameters.prefixed("conv1x1") + bottleneckNorm.parameters.prefixed("bn_bottleneck")
            + convs.enumerated().flatMap { $1?.parameters.prefixed("conv\($0)") ?? [] }
    }

    var buffers: [NamedTensor] { inputNorm.buffers.prefixed("bn_in") + bottleneckNorm.buffers.prefixed("bn_bottleneck") }
}

/// A resulting network (paper Sec. 3, App. C): a SMASH architecture with every weight freely
/// learned and batch norm in place of the simplified WeightNorm, in the authors' default
/// "sandwich" style — each op is BN-ReLU-1x1-BN followed by its ReLU-KxK convolutions combined
/// as in the SMASH network; the stem has no ReLU; transitions are BN-ReLU-1x1-2x2 average pool
/// (run as in the SMASH network: pooled in batch norm's pass, before the 1x1); the head
/// BN-ReLU-global pool-linear. Convolutions start He-normal, batch norm at 1/0.
public final class ResultingNetwork: Classifier {
    public let architecture: Architecture
    public let input: NetworkInput
    let stem: Conv2d
    let ops: [ResultingOp]
    let contexts: [OpContext]
    let transitionNorms: [BatchNorm2d]
    let transitionConvs: [Conv2d]
    let headNorm: BatchNorm2d
    let classifier: Linear

    /// The resulting network of a valid architecture for `input`.
    public init(architecture: Architecture, input: NetworkInput, using generator: inout SeededGenerator) throws {
        try architecture.validate()
        guard input.channels >= 1, input.classes >= 2, input.height >= 1 << (architecture.skeleton.blockCount - 1),
              input.width >= 1 << (architecture.skeleton.blockCount - 1) else {
            throw SMASHError.invalidOption(name: "input", found: "\(input)",
                                           expected: "at least 1 channel, 2 classes and room for \(architecture.skeleton.blockCount - 1) halvings")
        }
        self.architecture = architecture
        self.input = input
        let skeleton = architecture.skeleton
        stem = try Conv2d(inChannels: input.channels, outChannels: skeleton.blockInputChannels[0],
                          kernel: Pair(skeleton.stemKernel, skeleton.stemKernel), using: &generator)
        contexts = MemoryBankForward.contexts(architecture)
        ops = try contexts.map { try ResultingOp($0, using: &generator) }
        let widths = (0..<skeleton.blockCount).map { architecture.outputChannels(block: $0) }
        transitionNorms = widths.dropLast().map { BatchNorm2d(channels: $0) }
        transitionConvs = try (0 ..< skeleton.blockCount - 1).map { block in
            try Conv2d(inChannels: widths[block], outChannels: skeleton.blockInputChannels[block + 1], kernel: 1, using: &generator)
        }
        headNorm = BatchNorm2d(channels: widths[skeleton.blockCount - 1])
        classifier = try Linear(inFeatures: widths[skeleton.blockCount - 1], outFeatures: input.classes, using: &generator)
    }

    public var parameters: [NamedTensor] {
        stem.parameters.prefixed("stem") + ops.enumerated().flatMap { $1.parameters.prefixed("ops.\($0)") }
            + transitionNorms.enumerated().flatMap { $1.parameters.prefixed("transitions.\($0).bn") }
            + transitionConvs.enumerated().flatMap { $1.parameters.prefixed("transitions.\($0).conv") }
            + headNorm.parameters.prefixed("head.bn") + classifier.parameters.prefixed("head.fc")
    }

    public var buffers: [NamedTensor] {
        ops.enumerated().flatMap { $1.buffers.prefixed("ops.\($0)") }
            + transitionNorms.enumerated().flatMap { $1.buffers.prefixed("transitions.\($0).bn") } + headNorm.buffers.prefixed("head.bn")
    }

    public func callAsFunction(_ x: Tensor, training: Bool) throws -> Tensor {
        let weights = LearnedOpWeights(ops: ops, training: training)
        var h = try stem(x)
        var start = 0
        for block in 0..<architecture.skeleton.blockCount {
            let end = start + architecture.blocks[block].ops.count
            h = try MemoryBankForward.block(h, architecture: architecture, index: block, contexts: contexts[start..<end], weights: weights)
            start = end
            if block < transitionConvs.count {
                h = try transitionConvs[block](transitionNorms[block](h, training: training, relu: true, pooled: true))
            }
        }
        return try classifier(headNorm(h, training: training, relu: true).globalAvgPool())
    }
}

/// A resulting network's op weights: freely learned, with batch norm around the 1x1.
struct LearnedOpWeights: OpWeights {
    let ops: [ResultingOp]
    let training: Bool

    func bottleneck(_ reads: [Tensor], _ context: OpContext) throws -> Tensor {
        let op = ops[context.global]
        let input = try Tensor.concatChannels(reads)
        return try op.bottleneckNorm(op.oneByOne(op.inputNorm(input, training: training, relu: true)), training: training, relu: true)
    }

    func conv(_ input: Tensor, index: Int, spec: ConvSpec, _ context: OpContext) throws -> Tensor {
        guard let conv = ops[context.global].convs[index] else {
            throw SMASHError.invalidArchitecture(path: "ops[\(context.global)].convs[\(index)]", message: "is inactive")
        }
        return try conv(input)
    }
}
