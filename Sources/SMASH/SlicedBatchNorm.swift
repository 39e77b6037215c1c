import Autodiff
import NN

/// Batch norm declared for the widest input a layer can see and applied to the first C channels
/// of a narrower one (the SMASH network's transitions and head, whose input width varies with the
/// architecture). Training updates the running statistics of those C channels only.
final class SlicedBatchNorm: Layer {
    let gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVariance: Tensor
    let momentum: Float = 0.1

    init(channels: Int) {
        gamma = Tensor(shape: [channels], repeating: 1, requiresGrad: true)
        beta = Tensor(shape: [channels], repeating: 0, requiresGrad: true)
        runningMean = Tensor(shape: [channels], repeating: 0)
        runningVariance = Tensor(shape: [channels], repeating: 1)
    }

    var parameters: [NamedTensor] { [NamedTensor("weight", gamma), NamedTensor("bias", beta)] }
    var buffers: [NamedTensor] { [NamedTensor("running_mean", runningMean), NamedTensor("running_var", runningVariance)] }

    /// Normalises `x` with batch statistics that update the running ones (`training`), with the
    /// running statistics, or, for `.batch` outside training, with the batch's own statistics
    /// and no update; with `relu`, a ReLU follows in the same pass, and with `pooled` 2x2 average
    /// pooling (`Tensor.batchNorm`).
    func callAsFunction(_ x: Tensor, training: Bool, evaluation: EvaluationStatistics = .running, relu: Bool = false,
                        pooled: Bool = false) throws -> Tensor {
        let channels = x.shape.count == 4 ? x.shape[1] : 0
        guard channels >= 1, channels <= gamma.count else {
            throw SMASHError.invalidArchitecture(path: "batch norm",
                                                 message: "input \(x.shape) has more channels than the \(gamma.count) declared")
        }
        let whole = channels == gamma.count
        let (g, b) = whole ? (gamma, beta) : (try gamma.slice([0 ..< channels]), try beta.slice([0 ..< channels]))
        if !training && evaluation == .batch {
            return try x.batchNorm(gamma: g, beta: b, running: nil, training: true, relu: relu, pooled: pooled)
        }
        if whole {
            return try x.batchNorm(gamma: g, beta: b, running: RunningStatistics(mean: runningMean, variance: runningVariance,
                                                                             momentum: momentum), training: training, relu: relu, pooled: pooled)
        }
        let mean = Tensor(uninitializedShape: [channels]), variance = Tensor(uninitializedShape: [channels])
        mean.data.initialize(from: runningMean.data, count: channels)
        variance.data.initialize(from: runningVariance.data, count: channels)
        let y = try x.batchNorm(gamma: g, beta: b, running: RunningStatistics(mean: mean, variance: variance, momentum: momentum),
                                training: training, relu: relu, pooled: pooled)
        if training {
            runningMean.data.update(from: mean.data, count: channels)
            runningVariance.data.update(from: variance.data, count: channels)
        }
        return y
    }
}
