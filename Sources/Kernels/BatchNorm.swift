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

/// Training mode's statistics: the batch's per-channel mean μ and inverse deviation
/// 1/√(σ² + ε) (biased variance), which `batchNormApply` (or `batchNormPooledApply`)
/// normalises with, y = γ·(x − μ)/√(σ² + ε) + β, and the backward pass reads.
public func batchNormStatistics(_ x: UnsafePointer<Float>, mean: UnsafeMutablePointer<Float>, invStd: UnsafeMutablePointer<Float>,
                                _ s: BatchNormShape, epsilon: Float) {
    let count = Double(s.reduction)
    Parallelism.forEachIndex(s.channels) { c in
        var total: Double = 0
        forEachPlane(of: c, s) { offset, _ in total += sum(x + offset, count: s.plane) }
        let mu = Float(total / count)
        var squares: Double = 0
        forEachPlane(of: c, s) { offset, _ in
            let p = x + offset
            squares += blockSum(count: s.plane, vector: { let d = loadVector(p + $0) - mu; return d * d },
                                scalar: { let d = p[$0] - mu; return d * d })
        }
        mean[c] = mu
        invStd[c] = Float(1 / (squares / count + Double(epsilon)).squareRoot())
    }
}

/// invStd[c] = 1/√(variance[c] + ε): the inverse deviation evaluation mode normalises with.
public func batchNormInverseDeviation(variance: UnsafePointer<Float>, _ invStd: UnsafeMutablePointer<Float>,
                                      channels: Int, epsilon: Float) {
    for c in 0..<channels { invStd[c] = 1 / (variance[c] + epsilon).squareRoot() }
}

/// running ← (1 − momentum)·running + momentum·batch, with the unbiased batch variance, as in
/// PyTorch. `mean` and `invStd` are what `batchNormStatistics` wrote.
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
/// dγ += Σ dy·x̂ and dβ += Σ dy. Any gradient pointer may be nil. `activated`, the output of a
/// call with `relu`, masks dy where it is zero (the ReLU's adjoint). With `overwritingDx`, dx is
/// written over whatever it holds instead of added to.
public func batchNormBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                              mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>?, dgamma: UnsafeMutablePointer<Float>?,
                              dbeta: UnsafeMutablePointer<Float>?, _ s: BatchNormShape, batchStatistics: Bool,
                              activated: UnsafePointer<Float>? = nil, overwritingDx: Bool = false) {
    let gradients = BatchNormGradients(dx: dx, dgamma: dgamma, dbeta: dbeta, batchStatistics: batchStatistics, overwritingDx: overwritingDx)
    Parallelism.forEachIndex(s.channels) { c in
        if let activated {
            batchNormBackward(channel: c, x, { offset, _ in MaskedGradient(dy: dy + offset, output: activated + offset) },
                              gamma: gamma, mean: mean, invStd: invStd, gradients, s)
        } else {
            batchNormBackward(channel: c, x, { offset, _ in PlainGradient(dy: dy + offset) }, gamma: gamma, mean: mean, invStd: invStd,
                              gradients, s)
        }
    }
}

/// Where a batch-norm adjoint accumulates, and how.
struct BatchNormGradients {
    let dx: UnsafeMutablePointer<Float>?
    let dgamma: UnsafeMutablePointer<Float>?
    let dbeta: UnsafeMutablePointer<Float>?
    /// Training mode: the statistics depend on x.
    let batchStatistics: Bool
    /// dx is written over, not added to.
    let overwritingDx: Bool
}

/// The adjoint for channel `c`, reading its output gradient in each sample's plane through
/// `gradient(offset, sample)` (`offset` that of the plane in x), specialised per kind of gradient.
@inline(__always)
func batchNormBackward<G: OutputGradient>(channel c: Int, _ x: UnsafePointer<Float>, _ gradient: (Int, Int) -> G,
                                          gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                                          _ targets: BatchNormGradients, _ s: BatchNormShape) {
    let m = Float(s.reduction)
    let mu = mean[c], inv = invStd[c]
    var sumDy: Double = 0, sumDyXhat: Double = 0
    forEachPlane(of: c, s) { offset, n in
        let (xp, g) = (x + offset, gradient(offset, n))
        let (dySum, centredSum) = blockSums(count: s.plane, vector: { i in
            let dy = g.vector(i)
            return (dy, dy * (loadVector(xp + i) - mu))
        }, scalar: { i in
            let dy = g.scalar(i)
            return (dy, dy * (xp[i] - mu))
        })
        sumDy += dySum
        sumDyXhat += centredSum * Double(inv)
    }
    targets.dgamma?[c] += Float(sumDyXhat)
    targets.dbeta?[c] += Float(sumDy)
    guard let dx = targets.dx else { return }
    let k = gamma[c] * inv
    let (meanDy, meanDyXhat) = targets.batchStatistics ? (Float(sumDy) / m, Float(sumDyXhat) / m) : (0, 0)
    forEachPlane(of: c, s) { offset, n in
        let (xp, out, g) = (x + offset, dx + offset, gradient(offset, n))
        @inline(__always) func term(_ i: Int) -> Float {
            targets.batchStatistics ? k * (g.scalar(i) - meanDy - (xp[i] - mu) * inv * meanDyXhat) : k * g.scalar(i)
        }
        if targets.overwritingDx {
            for i in 0..<s.plane { out[i] = term(i) }
        } else {
            for i in 0..<s.plane { out[i] += term(i) }
        }
    }
}

/// The output gradient a batch-norm adjoint reads in one plane: dy itself, or dy masked by a
/// fused ReLU.
protocol OutputGradient {
    func vector(_ i: Int) -> SIMD8<Float>
    func scalar(_ i: Int) -> Float
}

struct PlainGradient: OutputGradient {
    let dy: UnsafePointer<Float>
    @inline(__always) func vector(_ i: Int) -> SIMD8<Float> { loadVector(dy + i) }
    @inline(__always) func scalar(_ i: Int) -> Float { dy[i] }
}

/// dy where the ReLU's output is positive, else zero.
private struct MaskedGradient: OutputGradient {
    let dy: UnsafePointer<Float>
    let output: UnsafePointer<Float>
    @inline(__always) func vector(_ i: Int) -> SIMD8<Float> {
        loadVector(dy + i).replacing(with: 0, where: loadVector(output + i) .<= 0)
    }
    @inline(__always) func scalar(_ i: Int) -> Float { output[i] > 0 ? dy[i] : 0 }
}

/// y = γ·(x − mean)·invStd + β, per channel: the normalisation shared by both modes. With
/// `relu`, y = max(0, ·).
public func batchNormApply(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                            mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                            _ y: UnsafeMutablePointer<Float>, _ s: BatchNormShape, relu: Bool = false) {
    Parallelism.forEachIndex(s.channels) { c in
        let scale = gamma[c] * invStd[c]
        let shift = beta[c] - mean[c] * scale
        forEachPlane(of: c, s) { offset, _ in
            let src = x + offset, dst = y + offset
            if relu {
                for i in 0..<s.plane { dst[i] = max(src[i] * scale + shift, 0) }
            } else {
                for i in 0..<s.plane { dst[i] = src[i] * scale + shift }
            }
        }
    }
}

/// Calls `body(offset, n)` with the offset of channel `c`'s plane in each sample n.
@inline(__always)
func forEachPlane(of c: Int, _ s: BatchNormShape, _ body: (Int, Int) -> Void) {
    for n in 0..<s.batch { body((n &* s.channels &+ c) &* s.plane, n) }
}
