/// Batch normalisation over NCHW tensors: per channel, statistics over batch and pixels.

/// The shape of a batch-norm call: `batch` samples of `channels` planes of `plane` values.
public struct BatchNormShape: Sendable {
    public var batch: Int
    public var channels: Int
    public var plane: Int
    public init(batch: Int, channels: Int, plane: Int) {
        self.batch = batch
        self.channels = channels
        self.plane = plane
    }
    /// Values per channel.
    public var reduction: Int { batch * plane }
}

/// Training mode: normalises with the batch's statistics, y = γ·(x − μ)/√(σ² + ε) + β, and writes
/// the per-channel mean μ and inverse deviation 1/√(σ² + ε) (biased variance) for the backward pass.
public func batchNormTrainingForward(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                     _ y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                     invStd: UnsafeMutablePointer<Float>, _ s: BatchNormShape, epsilon: Float) {
    let count = Double(s.reduction)
    Parallelism.forEachIndex(s.channels) { c in
        var total: Double = 0
        forEachPlane(of: c, s) { offset in total += sum(x + offset, count: s.plane) }
        let mu = Float(total / count)
        var squares: Double = 0
        forEachPlane(of: c, s) { offset in
            let p = x + offset
            squares += blockSum(count: s.plane, vector: { let d = loadVector(p + $0) - mu; return d * d },
                                scalar: { let d = p[$0] - mu; return d * d })
        }
        mean[c] = mu
        invStd[c] = Float(1 / (squares / count + Double(epsilon)).squareRoot())
    }
    batchNormApply(x, gamma: gamma, beta: beta, mean: mean, invStd: invStd, y, s)
}

/// invStd[c] = 1/√(variance[c] + ε): the inverse deviation evaluation mode normalises with.
public func batchNormInverseDeviation(variance: UnsafePointer<Float>, _ invStd: UnsafeMutablePointer<Float>,
                                      channels: Int, epsilon: Float) {
    for c in 0..<channels { invStd[c] = 1 / (variance[c] + epsilon).squareRoot() }
}

/// running ← (1 − momentum)·running + momentum·batch, with the unbiased batch variance, as in
/// PyTorch. `mean` and `invStd` are what `batchNormTrainingForward` wrote.
public func batchNormUpdateRunning(runningMean: UnsafeMutablePointer<Float>, runningVariance: UnsafeMutablePointer<Float>,
                                   mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                                   _ s: BatchNormShape, epsilon: Float, momentum: Float) {
    let n = Float(s.reduction)
    let correction = n > 1 ? n / (n - 1) : 1
    for c in 0..<s.channels {
        let biased = 1 / (invStd[c] * invStd[c]) - epsilon
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c]
        runningVariance[c] = (1 - momentum) * runningVariance[c] + momentum * max(biased, 0) * correction
    }
}

/// Accumulates the gradients of a batch-norm call. With `batchStatistics` (training mode) the
/// statistics depend on x and dx has the full form
/// dx = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)); otherwise (evaluation mode) dx = γ·invStd·dy.
/// dγ += Σ dy·x̂ and dβ += Σ dy. Any gradient pointer may be nil.
public func batchNormBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                              mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>?, dgamma: UnsafeMutablePointer<Float>?,
                              dbeta: UnsafeMutablePointer<Float>?, _ s: BatchNormShape, batchStatistics: Bool) {
    let m = Float(s.reduction)
    Parallelism.forEachIndex(s.channels) { c in
        let mu = mean[c], inv = invStd[c]
        var sumDy: Double = 0, sumDyXhat: Double = 0
        forEachPlane(of: c, s) { offset in
            let xp = x + offset, gp = dy + offset
            sumDy += sum(gp, count: s.plane)
            sumDyXhat += blockSum(count: s.plane, vector: { loadVector(gp + $0) * (loadVector(xp + $0) - mu) },
                                  scalar: { gp[$0] * (xp[$0] - mu) }) * Double(inv)
        }
        dgamma?[c] += Float(sumDyXhat)
        dbeta?[c] += Float(sumDy)
        guard let dx else { return }
        let k = gamma[c] * inv
        if batchStatistics {
            let meanDy = Float(sumDy) / m, meanDyXhat = Float(sumDyXhat) / m
            forEachPlane(of: c, s) { offset in
                let xp = x + offset, gp = dy + offset, out = dx + offset
                for i in 0..<s.plane {
                    let xhat = (xp[i] - mu) * inv
                    out[i] += k * (gp[i] - meanDy - xhat * meanDyXhat)
                }
            }
        } else {
            forEachPlane(of: c, s) { offset in
                let gp = dy + offset, out = dx + offset
                for i in 0..<s.plane { out[i] += k * gp[i] }
            }
        }
    }
}

/// y = γ·(x − mean)·invStd + β, per channel: the normalisation shared by both modes.
public func batchNormApply(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                            mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                            _ y: UnsafeMutablePointer<Float>, _ s: BatchNormShape) {
    Parallelism.forEachIndex(s.channels) { c in
        let scale = gamma[c] * invStd[c]
        let shift = beta[c] - mean[c] * scale
        forEachPlane(of: c, s) { offset in
            let src = x + offset, dst = y + offset
            for i in 0..<s.plane { dst[i] = src[i] * scale + shift }
        }
    }
}

/// Calls `body` with the offset of channel `c`'s plane in each sample.
@inline(__always)
private func forEachPlane(of c: Int, _ s: BatchNormShape, _ body: (Int) -> Void) {
    for n in 0..<s.batch { body((n &* s.channels &+ c) &* s.plane) }
}
