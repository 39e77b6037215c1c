import Kernels

/// The running statistics of a batch-norm layer, updated in training mode.
public struct RunningStatistics {
    public let mean: Tensor
    public let variance: Tensor
    public var momentum: Float

    public init(mean: Tensor, variance: Tensor, momentum: Float = 0.1) {
        self.mean = mean
        self.variance = variance
        self.momentum = momentum
    }
}

extension Tensor {
    /// Batch normalisation of an NCHW tensor with per-channel scale `gamma` and shift `beta`.
    ///
    /// In `training` mode it normalises with the batch's statistics and, when `running` is given,
    /// updates the running averages; otherwise it normalises with `running`'s statistics. With
    /// `relu`, a ReLU follows in the same pass, as `batchNorm(...).relu()` without the
    /// intermediate tensor and its gradient.
    public func batchNorm(gamma: Tensor, beta: Tensor, running: RunningStatistics?, training: Bool,
                          epsilon: Float = 1e-5, relu: Bool = false) throws -> Tensor {
        try expectRank(4, "batchNorm")
        let channels = shape[1]
        try gamma.expectShape([channels], "batchNorm gamma for input \(shape)")
        try beta.expectShape([channels], "batchNorm beta for input \(shape)")
        if let running {
            try running.mean.expectShape([channels], "batchNorm running mean for input \(shape)")
            try running.variance.expectShape([channels], "batchNorm running variance for input \(shape)")
        }
        let s = BatchNormShape(batch: shape[0], channels: channels, plane: shape[2] * shape[3])
        let out = Tensor.result(shape: shape, of: self, gamma, beta)
        let mean = Tensor(uninitializedShape: [channels]), invStd = Tensor(uninitializedShape: [channels])
        if training {
            batchNormTrainingForward(data, gamma: gamma.data, beta: beta.data, out.data, mean: mean.data,
                                     invStd: invStd.data, s, epsilon: epsilon, relu: relu)
            if let running {
                batchNormUpdateRunning(runningMean: running.mean.data, runningVariance: running.variance.data,
                                       mean: mean.data, invStd: invStd.data, s, epsilon: epsilon, momentum: running.momentum)
            }
        } else {
            guard let running else {
                throw TensorError.invalidArgument(operation: "batchNorm", message: "evaluation mode needs running statistics")
            }
            mean.data.update(from: running.mean.data, count: channels)
            batchNormInverseDeviation(variance: running.variance.data, invStd.data, channels: channels, epsilon: epsilon)
            batchNormApply(data, gamma: gamma.data, beta: beta.data, mean: mean.data, invStd: invStd.data, out.data, s,
                           relu: relu)
        }
        let (dx, dgamma, dbeta) = (gradientIfRequired, gamma.gradientIfRequired, beta.gradientIfRequired)
        // A fused ReLU's adjoint reads the output (positive exactly where the ReLU passed).
        let activated = relu ? out : nil
        out.recordBackward { [self] dy in
            func backward(_ dx: UnsafeMutablePointer<Float>?, fresh: Bool) {
                batchNormBackward(data, dy, gamma: gamma.data, mean: mean.data, invStd: invStd.data, dx: dx,
                                  dgamma: dgamma?.pointer, dbeta: dbeta?.pointer, s, batchStatistics: training,
                                  activated: activated?.data, overwritingDx: fresh)
            }
            guard let dx else { return backward(nil, fresh: false) }
            dx.contribute { buffer, fresh in backward(buffer, fresh: fresh) }
        }
        return out
    }
}
