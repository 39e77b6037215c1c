import Autodiff
import Randomness

/// The shape of a Wide ResNet WRN-d-k: depth = 6n + 4, widths 16 → 16k / 32k / 64k.
public struct WideResNetConfiguration: Hashable, Sendable, Codable {
    public var depth: Int
    public var widenFactor: Int
    public var inputChannels: Int
    public var classes: Int

    public init(depth: Int, widenFactor: Int, inputChannels: Int, classes: Int) {
        self.depth = depth
        self.widenFactor = widenFactor
        self.inputChannels = inputChannels
        self.classes = classes
    }

    /// Residual blocks per stage: (depth − 4) / 6.
    public var blocksPerStage: Int { (depth - 4) / 6 }

    /// Throws unless depth = 6n + 4 with n ≥ 1 and every size is positive.
    public func validate() throws {
        guard depth >= 10, (depth - 4) % 6 == 0 else {
            throw TensorError.invalidArgument(operation: "WideResNet", message: "depth \(depth) must be 6n+4 with n ≥ 1 (10, 16, 22, 28, 40, ...)")
        }
        guard widenFactor > 0, inputChannels > 0, classes > 1 else {
            throw TensorError.invalidArgument(operation: "WideResNet",
                message: "widen factor \(widenFactor), input channels \(inputChannels) and classes \(classes) must be positive (classes ≥ 2)")
        }
    }
}

/// A pre-activation residual block: BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, plus the input or, when
/// the shape changes, a 1x1 projection of the pre-activated input.
public final class WideBasicBlock: Layer {
    let bn1: BatchNorm2d, conv1: Conv2d, bn2: BatchNorm2d, conv2: Conv2d
    let shortcut: Conv2d?

    public init(inChannels: Int, outChannels: Int, stride: Int, using generator: inout SeededGenerator) throws {
        bn1 = BatchNorm2d(channels: inChannels)
        conv1 = try Conv2d(inChannels: inChannels, outChannels: outChannels, kernel: 3, stride: Pair(stride, stride),
                           padding: 1, using: &generator)
        bn2 = BatchNorm2d(channels: outChannels)
        conv2 = try Conv2d(inChannels: outChannels, outChannels: outChannels, kernel: 3, using: &generator)
        shortcut = inChannels == outChannels && stride == 1 ? nil
            : try Conv2d(inChannels: inChannels, outChannels: outChannels, kernel: 1, stride: Pair(stride, stride),
                         padding: 0, using: &generator)
    }

    public var parameters: [NamedTensor] {
        bn1.parameters.prefixed("bn1") + conv1.parameters.prefixed("conv1") + bn2.parameters.prefixed("bn2")
            + conv2.parameters.prefixed("conv2") + (shortcut?.parameters.prefixed("shortcut") ?? [])
    }

    public var buffers: [NamedTensor] { bn1.buffers.prefixed("bn1") + bn2.buffers.prefixed("bn2") }

    public func callAsFunction(_ x: Tensor, training: Bool) throws -> Tensor {
        let activated = try bn1(x, training: training, relu: true)
        let y = try conv2(bn2(conv1(activated), training: training, relu: true))
        return try y + (shortcut.map { try $0(activated) } ?? x)
    }
}

/// Wide ResNet WRN-d-k (Zagoruyko & Komodakis) for any input channels and size: a 3x3 stem to 16
/// channels, three stages of pre-activation blocks at strides 1/2/2, BN-ReLU, global average pool
/// and a linear classifier.
public final class WideResNet: Classifier {
    public let configuration: WideResNetConfiguration
    let stem: Conv2d
    let blocks: [WideBasicBlock]
    let bn: BatchNorm2d
    let classifier: Linear

    public init(_ configuration: WideResNetConfiguration, using generator: inout SeededGenerator) throws {
        try configuration.validate()
        self.configuration = configuration
        let k = configuration.widenFactor
        stem = try Conv2d(inChannels: configuration.inputChannels, outChannels: 16, kernel: 3, using: &generator)
        var blocks: [WideBasicBlock] = []
        var channels = 16
        for (width, stride) in [(16 * k, 1), (32 * k, 2), (64 * k, 2)] {
            for index in 0..<configuration.blocksPerStage {
                blocks.append(try WideBasicBlock(inChannels: channels, outChannels: width, stride: index == 0 ? stride : 1,
                                                 using: &generator))
                channels = width
            }
        }
        self.blocks = blocks
        bn = BatchNorm2d(channels: channels)
        classifier = try Linear(inFeatures: channels, outFeatures: configuration.classes, using: &generator)
    }

    public var parameters: [NamedTensor] {
        stem.parameters.prefixed("stem")
            + blocks.enumerated().flatMap { $1.parameters.prefixed("blocks.\($0)") }
            + bn.parameters.prefixed("bn") + classifier.parameters.prefixed("fc")
    }

    public var buffers: [NamedTensor] {
        blocks.enumerated().flatMap { $1.buffers.prefixed("blocks.\($0)") } + bn.buffers.prefixed("bn")
    }

    /// Class logits `[batch, classes]` for an NCHW batch.
    public func callAsFunction(_ x: Tensor, training: Bool) throws -> Tensor {
        var h = try stem(x)
        for block in blocks { h = try block(h, training: training) }
        return try classifier(bn(h, training: training, relu: true).globalAvgPool())
    }
}
