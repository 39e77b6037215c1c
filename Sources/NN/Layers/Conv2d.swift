import Autodiff
import Randomness

/// A bias-free 2-D convolution layer with learned weights `[out, in/groups, kh, kw]`.
public final class Conv2d: Layer {
    public let weight: Tensor
    public let stride: Pair
    public let padding: Pair
    public let dilation: Pair
    public let groups: Int

    /// A convolution with He-normal weights; `padding` defaults to "same" for stride 1.
    public init(inChannels: Int, outChannels: Int, kernel: Pair, stride: Pair = 1, padding: Pair? = nil,
                dilation: Pair = 1, groups: Int = 1, using generator: inout SeededGenerator) throws {
        guard inChannels > 0, outChannels > 0, groups > 0, inChannels % groups == 0, outChannels % groups == 0,
              kernel.y > 0, kernel.x > 0 else {
            throw TensorError.invalidArgument(operation: "Conv2d",
                message: "channels \(inChannels)->\(outChannels), kernel \(kernel) and groups \(groups) are inconsistent")
        }
        weight = Tensor(uninitializedShape: [outChannels, inChannels / groups, kernel.y, kernel.x], requiresGrad: true)
        Initializer.heNormal(weight, using: &generator)
        self.stride = stride
        self.padding = padding ?? Tensor.samePadding(kernel: kernel, dilation: dilation)
        self.dilation = dilation
        self.groups = groups
    }

    public var parameters: [NamedTensor] { [NamedTensor("weight", weight)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.conv2d(weight, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}
