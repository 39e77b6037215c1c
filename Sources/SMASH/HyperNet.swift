import Autodiff
import NN
import Randomness

/// The size of the HyperNet and where the SMASH network keeps its capacity.
public struct HyperNetConfiguration: Codable, Sendable, Hashable {
    /// Channels of the first 3x3 convolution, concatenated to the input.
    public var stemChannels: Int
    /// Layers of each dense block.
    public var blockLayers: [Int]
    /// Channels each dense layer adds.
    public var growth: Int
    /// Kernel of the compressions that halve the channels between dense blocks: 1 in the paper
    /// (App. A), 3 in the authors' code.
    public var compressionKernel: Int
    /// Negative slope of the LeakyReLU before every convolution but the first.
    public var slope: Float
    /// Channels of the noise z concatenated to c.
    public var noiseChannels: Int
    /// Moves capacity to freely learned weights (paper Sec. 4.1, third experiment): each block
    /// gets a freely learned 1x1 weight over its memory's channels, and an op's 1x1 convolution
    /// is the sum of its generated weights and the rows and bank channels it uses of that weight.
    public var freelyLearnedOneByOne: Bool

    public init(stemChannels: Int = 7, blockLayers: [Int] = [8, 10, 4], growth: Int = 10, compressionKernel: Int = 1,
                slope: Float = 0.02, noiseChannels: Int = 1, freelyLearnedOneByOne: Bool = false) {
        self.stemChannels = stemChannels
        self.blockLayers = blockLayers
        self.growth = growth
        self.compressionKernel = compressionKernel
        self.slope = slope
        self.noiseChannels = noiseChannels
        self.freelyLearnedOneByOne = freelyLearnedOneByOne
    }

    /// The paper's DenseNet (App. A): dense blocks of 8, 10 and 4 layers, growth 10.
    public static let standard = HyperNetConfiguration()
    /// A low-capacity HyperNet for the crippled-HyperNet experiment (paper Fig. 5a): dense blocks
    /// of 2, 2 and 1 layers, growth 4.
    public static let crippled = HyperNetConfiguration(stemChannels: 4, blockLayers: [2, 2, 1], growth: 4)

    /// The names `preset(named:)` accepts.
    public static let presetNames = ["standard", "crippled"]

    /// A named preset.
    public static func preset(named name: String) throws(SMASHError) -> HyperNetConfiguration {
        switch name {
        case "standard": return .standard
        case "crippled": return .crippled
        default: throw .invalidOption(name: "hypernet", found: "'\(name)'", expected: "one of \(presetNames.joined(separator: ", "))")
        }
    }

    /// Throws the first out-of-range field.
    public func validate() throws(SMASHError) {
        guard stemChannels >= 1 else { throw .invalidOption(name: "hypernet.stemChannels", found: "\(stemChannels)", expected: "at least 1") }
        guard !blockLayers.isEmpty, blockLayers.allSatisfy({ $0 >= 0 }) else {
            throw .invalidOption(name: "hypernet.blockLayers", found: "\(blockLayers)", expected: "a non-empty list of layer counts ≥ 0")
        }
        guard growth >= 1 else { throw .invalidOption(name: "hypernet.growth", found: "\(growth)", expected: "at least 1") }
        guard compressionKernel >= 1, compressionKernel % 2 == 1 else {
            throw .invalidOption(name: "hypernet.compressionKernel", found: "\(compressionKernel)", expected: "an odd size")
        }
        guard noiseChannels >= 0 else { throw .invalidOption(name: "hypernet.noiseChannels", found: "\(noiseChannels)", expected: "at least 0") }
    }
}

/// The HyperNet of paper App. A: a fully convolutional DenseNet without downsampling over the
/// encoding's (rows × columns) grid. A 3x3 stem whose output is concatenated to the input, dense
/// blocks of LeakyReLU-3x3 convolutions each adding `growth` channels, compressions to half the
/// channels between blocks, and a LeakyReLU-1x1 output convolution. Every convolution is
/// bias-free and uses its weight divided by its Frobenius norm (simplified WeightNorm).
public final class HyperNet: Layer {
    /// The size and options it was built with.
    public let configuration: HyperNetConfiguration
    /// Convolution weights in application order: stem, dense layers and compressions, output.
    let weights: [Tensor]
    private let plan: [PlannedConv]

    /// One convolution of the plan: what it does with its output, and its weight's shape.
    private struct PlannedConv {
        enum Role { case stem, dense, compress, output }
        let role: Role
        let shape: [Int]
    }

    /// A HyperNet from `inputChannels` (noise plus encoding) to `outputChannels`, with orthogonal
    /// initial weights (as the authors' code).
    public init(configuration: HyperNetConfiguration, inputChannels: Int, outputChannels: Int,
                using generator: inout SeededGenerator) throws(SMASHError) {
        try configuration.validate()
        self.configuration = configuration
        plan = HyperNet.plan(configuration, inputChannels: inputChannels, outputChannels: outputChannels)
        weights = plan.map { layer in
            let weight = Tensor(uninitializedShape: layer.shape, requiresGrad: true)
            Initializer.orthogonal(weight, using: &generator)
            return weight
        }
    }

    /// The number of weights a HyperNet of this configuration and size has.
    public static func parameterCount(_ configuration: HyperNetConfiguration, inputChannels: Int, outputChannels: Int) -> Int {
        plan(configuration, inputChannels: inputChannels, outputChannels: outputChannels).reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    private static func plan(_ configuration: HyperNetConfiguration, inputChannels: Int, outputChannels: Int) -> [PlannedConv] {
        var plan: [PlannedConv] = []
        var channels = inputChannels
        plan.append(PlannedConv(role: .stem, shape: [configuration.stemChannels, channels, 3, 3]))
        channels += configuration.stemChannels
        for (index, layers) in configuration.blockLayers.enumerated() {
            for _ in 0..<layers {
                plan.append(PlannedConv(role: .dense, shape: [configuration.growth, channels, 3, 3]))
                channels += configuration.growth
            }
            if index < configuration.blockLayers.count - 1 {
                let kernel = configuration.compressionKernel
                plan.append(PlannedConv(role: .compress, shape: [max(channels / 2, 1), channels, kernel, kernel]))
                channels = max(channels / 2, 1)
            }
        }
        plan.append(PlannedConv(role: .output, shape: [outputChannels, channels, 1, 1]))
        return plan
    }

    public var parameters: [NamedTensor] {
        weights.enumerated().map { NamedTensor("conv\($0.offset).weight", $0.element) }
    }

    /// The generated tensor [1, outputChannels, rows, columns] for an input [1, inputChannels, rows, columns].
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        var x = input
        for (layer, weight) in zip(plan, weights) {
            let kernel = Pair(weight.shape[2], weight.shape[3])
            let normalized = weight.frobeniusNormalized()
            let source = layer.role == .stem ? x : x.leakyReLU(slope: configuration.slope)
            let y = try source.conv2d(normalized, padding: Tensor.samePadding(kernel: kernel))
            switch layer.role {
            case .stem, .dense: x = try Tensor.concatChannels([x, y])
            case .compress, .output: x = y
            }
        }
        return x
    }
}
