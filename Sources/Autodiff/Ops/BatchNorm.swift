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
    /// intermediate tensor and its gradient. With `pooled`, 2x2 average pooling follows too, as
    /// `avgPool2x2()` would (an odd last row or column dropped), and the full-resolution output
    /// is never stored: its adjoint reads the input and recomputes where the ReLU passed.
    public func batchNorm(gamma: Tensor, beta: Tensor, running: RunningStatistics?, training: Bool,
                          epsilon: Float = 1e-5, relu: Bool = false, pooled: Bool = false) throws -> Tensor {
        try expectRank(4, "batchNorm")
        let channels = shape[1]
        try gamma.expectShape([channels], "batchNorm gamma for input \(shape)")
        try beta.expectShape([channels], "batchNorm beta for input \(shape)")
        if let running {
            try running.mean.expectShape([channels], "batchNorm running mean for input \(shape)")
            try running.variance.expectShape([channels], "batchNorm running variance for input \(shape)")
        }
        if pooled, shape[2] < 2 || shape[3] < 2 {
            throw TensorError.invalidArgument(operation: "batchNorm", message: "input \(shape) is smaller than 2x2 to pool")
        }
        let poolShape = PooledBatchNormShape(batch: shape[0], channels: channels, height: shape[2], width: shape[3])
        let s = poolShape.normalized
        let out = Tensor.result(shape: pooled ? [shape[0], channels, shape[2] / 2, shape[3] / 2] : shape, of: self, gamma, beta)
        let mean = Tensor(uninitializedShape: [channels]), invStd = Tensor(uninitializedShape: [channels])
        if training {
            batchNormStatistics(data, mean: mean.data, invStd: invStd.data, s, epsilon: epsilon)
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
        }
        if pooled {
            batchNormPooledApply(data, gamma: gamma.data, beta: beta.data, mean: mean.data, invStd: invStd.data, out.data, poolShape,
                                 relu: relu)
        } else {
            batchNormApply(data, gamma: gamma.data, beta: beta.data, mean: mean.data, invStd: invStd.data, out.data, s, relu: relu)
        }
        let (dx, dgamma, dbeta) = (gradientIfRequired, gamma.gradientIfRequired, beta.gradientIfRequired)
        // A fused ReLU's adjoint reads the output (positive exactly where the ReLU passed), or
        // after pooling recomputes it from the input.
        let activated = relu && !pooled ? out : nil
        out.recordBackward { [self] dy in
            func backward(_ dx: UnsafeMutablePointer<Float>?, fresh: Bool) {
                if pooled {
                    batchNormPooledBackward(data, dy, gamma: gamma.data, beta: beta.data, mean: mean.data, invStd: invStd.data, dx: dx,
                                            dgamma: dgamma?.pointer, dbeta: dbeta?.pointer, poolShape, relu: relu,
                                            batchStatistics: training, overwritingDx: fresh)
                } else {
                    batchNormBackward(data, dy, gamma: gamma.data, mean: mean.data, invStd: invStd.data, dx: dx,
                                      dgamma: dgamma?.pointer, dbeta: dbeta?.pointer, s, batchStatistics: training,
                                      activated: activated?.data, overwritingDx: fresh)
                }
            }
            guard let dx else { return backward(nil, fresh: false) }
            dx.contribute { buffer, fresh in backward(buffer, fresh: fresh) }
        }
        return out
    }
}
