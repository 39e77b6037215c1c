/// The shape of a 2-D convolution over NCHW tensors: sizes, stride, padding, per-axis dilation
/// and groups. Weights are laid out `[outChannels, inChannels / groups, kernelHeight, kernelWidth]`.
public struct ConvGeometry: Hashable, Sendable, CustomStringConvertible {
    public var batch: Int
    public var inChannels: Int
    public var outChannels: Int
    public var height: Int
    public var width: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY: Int
    public var strideX: Int
    public var padY: Int
    public var padX: Int
    public var dilationY: Int
    public var dilationX: Int
    public var groups: Int

    public init(batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int,
                kernelHeight: Int, kernelWidth: Int, strideY: Int = 1, strideX: Int = 1,
                padY: Int = 0, padX: Int = 0, dilationY: Int = 1, dilationX: Int = 1, groups: Int = 1) {
        self.batch = batch
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padY = padY
        self.padX = padX
        self.dilationY = dilationY
        self.dilationX = dilationX
        self.groups = groups
    }

    /// Output height: `(H + 2·padY − dilationY·(kh − 1) − 1) / strideY + 1`.
    public var outHeight: Int { (height + 2 * padY - dilationY * (kernelHeight - 1) - 1) / strideY + 1 }
    /// Output width: `(W + 2·padX − dilationX·(kw − 1) − 1) / strideX + 1`.
    public var outWidth: Int { (width + 2 * padX - dilationX * (kernelWidth - 1) - 1) / strideX + 1 }
    /// Input channels seen by one group.
    public var groupInChannels: Int { inChannels / groups }
    /// Output channels produced by one group.
    public var groupOutChannels: Int { outChannels / groups }
    /// Rows of one group's im2col matrix: `inChannels/groups · kh · kw`.
    public var groupPatchSize: Int { groupInChannels * kernelHeight * kernelWidth }

    public var inputCount: Int { batch * inChannels * height * width }
    public var outputCount: Int { batch * outChannels * outHeight * outWidth }
    public var weightCount: Int { outChannels * groupPatchSize }
    public var inputShape: [Int] { [batch, inChannels, height, width] }
    public var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    public var weightShape: [Int] { [outChannels, groupInChannels, kernelHeight, kernelWidth] }

    /// A 1x1, stride-1, unpadded convolution: a plain matrix product per sample.
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padY == 0 && padX == 0
    }

    /// Multiply-add count of the forward pass, times two.
    public var forwardFlops: Double {
        2 * Double(multiplyAdds)
    }

    /// Multiply-adds of the forward pass.
    public var multiplyAdds: Int {
        batch &* outChannels &* outHeight &* outWidth &* groupPatchSize
    }

    /// Checks that every size is positive, groups divide both channel counts and the output is
    /// not empty.
    public func validate() throws(KernelError) {
        let sizes = [batch, inChannels, outChannels, height, width, kernelHeight, kernelWidth,
                     strideY, strideX, dilationY, dilationX, groups]
        guard sizes.allSatisfy({ $0 > 0 }), padY >= 0, padX >= 0 else {
            throw .invalidConvolution("sizes must be positive and padding non-negative: \(self)")
        }
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw .invalidConvolution("groups \(groups) must divide input channels \(inChannels) and output channels \(outChannels)")
        }
        guard outHeight > 0, outWidth > 0 else {
            throw .invalidConvolution("kernel \(kernelHeight)x\(kernelWidth) with dilation \(dilationY)x\(dilationX) does not fit input \(height)x\(width) with padding \(padY)x\(padX)")
        }
    }

    public var description: String {
        "conv(batch \(batch), \(inChannels)->\(outChannels), \(height)x\(width), kernel \(kernelHeight)x\(kernelWidth), "
            + "stride \(strideY)x\(strideX), pad \(padY)x\(padX), dilation \(dilationY)x\(dilationX), groups \(groups))"
    }
}

/// Errors raised when kernel arguments are inconsistent.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    case invalidConvolution(String)

    public var description: String {
        switch self {
        case .invalidConvolution(let message): "invalid convolution: \(message)"
        }
    }
}
