import Autodiff
import Randomness

/// A fully connected layer, y = x·Wᵀ + b.
public final class Linear: Layer {
    public let weight: Tensor
    public let bias: Tensor

    /// Weights uniform in ±1/√inFeatures, bias zero.
    public init(inFeatures: Int, outFeatures: Int, using generator: inout SeededGenerator) throws {
        guard inFeatures > 0, outFeatures > 0 else {
            throw TensorError.invalidArgument(operation: "Linear", message: "features \(inFeatures)->\(outFeatures) must be positive")
        }
        weight = Tensor(uninitializedShape: [outFeatures, inFeatures], requiresGrad: true)
        Initializer.uniformFanIn(weight, using: &generator)
        bias = Tensor(shape: [outFeatures], repeating: 0, requiresGrad: true)
    }

    public var parameters: [NamedTensor] { [NamedTensor("weight", weight), NamedTensor("bias", bias)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.linear(weight: weight, bias: bias)
    }
}
