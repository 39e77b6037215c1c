import Autodiff

/// Batch normalisation over the channels of NCHW tensors, with learned scale and shift and
/// running statistics for evaluation.
public final class BatchNorm2d: Layer {
    public let gamma: Tensor
    public let beta: Tensor
    public let runningMean: Tensor
    public let runningVariance: Tensor
    public let momentum: Float
    public let epsilon: Float

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        gamma = Tensor(shape: [channels], repeating: 1, requiresGrad: true)
        beta = Tensor(shape: [channels], repeating: 0, requiresGrad: true)
        runningMean = Tensor(shape: [channels], repeating: 0)
        runningVariance = Tensor(shape: [channels], repeating: 1)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var parameters: [NamedTensor] { [NamedTensor("weight", gamma), NamedTensor("bias", beta)] }
    public var buffers: [NamedTensor] {
        [NamedTensor("running_mean", runningMean), NamedTensor("running_var", runningVariance)]
    }

    /// Normalises with batch statistics (updating the running ones) when `training`, else with
    /// the running statistics; with `relu`, a ReLU follows in the same pass, and with `pooled`
    /// 2x2 average pooling (`Tensor.batchNorm`).
    public func callAsFunction(_ x: Tensor, training: Bool, relu: Bool = false, pooled: Bool = false) throws -> Tensor {
        try x.batchNorm(gamma: gamma, beta: beta,
                        running: RunningStatistics(mean: runningMean, variance: runningVariance, momentum: momentum),
                        training: training, epsilon: epsilon, relu: relu, pooled: pooled)
    }
}
