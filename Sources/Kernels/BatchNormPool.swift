/// Batch norm, an optional ReLU and 2x2 average pooling in one pass (a DenseNet transition,
/// pooled before its 1x1 convolution): the full-resolution activations are never stored, and the
/// adjoint reads the pooled gradient and the input, from which it recomputes where the ReLU
/// passed. The results equal those of `batchNormApply` followed by `avgPool2x2Forward`, and of
/// `avgPool2x2Backward` followed by `batchNormBackward`, operation for operation.

/// The planes of a pooled batch-norm call: `BatchNormShape`'s planes of height x width (an odd
/// last row or column is dropped by the pooling, as in `avgPool2x2Forward`).
public struct PooledBatchNormShape: Sendable {
    public let normalized: BatchNormShape
    public let height: Int
    public let width: Int

    public init(batch: Int, channels: Int, height: Int, width: Int) {
        normalized = BatchNormShape(batch: batch, channels: channels, plane: height * width)
        self.height = height
        self.width = width
    }

    /// Values per pooled plane.
    public var pooledPlane: Int { (height / 2) * (width / 2) }
}

/// y = 2x2 average pool of (γ·(x − mean)·invStd + β), with `relu` of its positive part, per
/// channel; `y` holds the pooled planes.
public func batchNormPooledApply(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                 mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                 _ s: PooledBatchNormShape, relu: Bool) {
    let (width, oh, ow) = (s.width, s.height / 2, s.width / 2)
    let n = s.normalized
    Parallelism.forEachIndex(n.channels) { c in
        let scale = gamma[c] * invStd[c]
        let shift = beta[c] - mean[c] * scale
        @inline(__always) func activated(_ v: Float) -> Float { relu ? max(v * scale + shift, 0) : v * scale + shift }
        @inline(__always) func activated(_ v: SIMD16<Float>) -> SIMD16<Float> {
            let t = v * scale + shift
            return relu ? t.replacing(with: 0, where: t .< 0) : t
        }
        for sample in 0..<n.batch {
            let src = x + (sample &* n.channels &+ c) &* n.plane, dst = y + (sample &* n.channels &+ c) &* s.pooledPlane
            for i in 0..<oh {
                let (r0, r1, out) = (src + 2 &* i &* width, src + (2 &* i &+ 1) &* width, dst + i &* ow)
                var j = 0
                while j &+ 8 <= ow {
                    let top = activated(UnsafeRawPointer(r0 + 2 &* j).loadUnaligned(as: SIMD16<Float>.self))
                    let bottom = activated(UnsafeRawPointer(r1 + 2 &* j).loadUnaligned(as: SIMD16<Float>.self))
                    storeVector(0.25 * (top.evenHalf + top.oddHalf + bottom.evenHalf + bottom.oddHalf), out + j)
                    j &+= 8
                }
                while j < ow {
                    let c0 = 2 &* j
                    out[j] = 0.25 * (activated(r0[c0]) + activated(r0[c0 &+ 1]) + activated(r1[c0]) + activated(r1[c0 &+ 1]))
                    j &+= 1
                }
            }
        }
    }
}

/// The adjoint of `batchNormPooledApply` given the pooled output gradient `dy`: the gradients
/// `batchNormBackward` accumulates (see there; with `overwritingDx` dx is written over), with
/// each pixel's output gradient a quarter of its window's, where the ReLU passed. A thread
/// expands one channel's gradient at a time into a buffer of its own (`batch · plane` floats).
public func batchNormPooledBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                    beta: UnsafePointer<Float>, mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>?, dgamma: UnsafeMutablePointer<Float>?,
                                    dbeta: UnsafeMutablePointer<Float>?, _ s: PooledBatchNormShape, relu: Bool,
                                    batchStatistics: Bool, overwritingDx: Bool = false) {
    let n = s.normalized
    let targets = BatchNormGradients(dx: dx, dgamma: dgamma, dbeta: dbeta, batchStatistics: batchStatistics, overwritingDx: overwritingDx)
    Parallelism.forEachRange(n.channels) { channels in
        withScratch(n.batch &* n.plane) { expanded in
            for c in channels {
                let scale = gamma[c] * invStd[c]
                let shift = beta[c] - mean[c] * scale
                for sample in 0..<n.batch {
                    let plane = sample &* n.channels &+ c
                    expandPooledGradient(dy + plane &* s.pooledPlane, x + plane &* n.plane, into: expanded + sample &* n.plane, s,
                                         scale: scale, shift: shift, relu: relu)
                }
                batchNormBackward(channel: c, x, { _, sample in PlainGradient(dy: expanded + sample &* n.plane) },
                                  gamma: gamma, mean: mean, invStd: invStd, targets, n)
            }
        }
    }
}

/// Writes one plane's output gradient at full resolution: a quarter of each window's pooled
/// gradient (`avgPool2x2Backward`), zero where the ReLU stopped the pixel (its value
/// `x·scale + shift`, as `batchNormPooledApply` computes it, not positive) and in a dropped last
/// row or column.
@inline(__always)
private func expandPooledGradient(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, into g: UnsafeMutablePointer<Float>,
                                  _ s: PooledBatchNormShape, scale: Float, shift: Float, relu: Bool) {
    let (width, oh, ow) = (s.width, s.height / 2, s.width / 2)
    for r in 0..<2 &* oh {
        let (row, xr, pooled) = (g + r &* width, x + r &* width, dy + (r / 2) &* ow)
        var j = 0
        while j &+ 8 <= ow {
            let v = 0.25 * loadVector(pooled + j)
            var spread = SIMD16(v[0], v[0], v[1], v[1], v[2], v[2], v[3], v[3], v[4], v[4], v[5], v[5], v[6], v[6], v[7], v[7])
            if relu {
                let t = UnsafeRawPointer(xr + 2 &* j).loadUnaligned(as: SIMD16<Float>.self) * scale + shift
                spread.replace(with: 0, where: t .<= 0)
            }
            UnsafeMutableRawPointer(row + 2 &* j).storeBytes(of: spread, as: SIMD16<Float>.self)
            j &+= 8
        }
        while j < ow {
            let v = 0.25 * pooled[j]
            for k in 2 &* j ..< 2 &* j &+ 2 { row[k] = !relu || xr[k] * scale + shift > 0 ? v : 0 }
            j &+= 1
        }
        for k in 2 &* ow ..< width { row[k] = 0 }
    }
    for r in 2 &* oh ..< s.height { (g + r &* width).update(repeating: 0, count: width) }
}
