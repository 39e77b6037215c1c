import CThreads
/// Vector helpers shared by kernels: unaligned loads and stores, multiply-adds that are fused
/// where the build targets FMA, and vectorised sums.

#if SMASH_AVX512
/// The widest float vector the build's target holds in one register: the vectors of the direct
/// and pointwise convolution tiles, the complex products and the column transforms.
typealias WideVector = SIMD16<Float>
#else
/// The widest float vector the build's target holds in one register: the vectors of the direct
/// and pointwise convolution tiles, the complex products and the column transforms.
typealias WideVector = SIMD8<Float>
#endif

/// `WideVector.scalarCount` floats from `p`, which need not be aligned.
@inline(__always)
func loadWide(_ p: UnsafePointer<Float>) -> WideVector {
    UnsafeRawPointer(p).loadUnaligned(as: WideVector.self)
}

/// Stores a wide vector at `dst`, which need not be aligned.
@inline(__always)
func storeWide(_ value: WideVector, _ dst: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(dst).storeBytes(of: value, as: WideVector.self)
}

/// Eight floats from `p`, which need not be aligned.
@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats at `dst`, which need not be aligned.
@inline(__always)
func storeVector(_ value: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(dst).storeBytes(of: value, as: SIMD8<Float>.self)
}

/// Writes (with `accumulate`, adds) the first `count` lanes of `value` at `dst`.
@inline(__always)
func storeLanes(_ value: SIMD8<Float>, into dst: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
    if count == 8 {
        storeVector(accumulate ? value + loadVector(dst) : value, dst)
    } else {
        for lane in 0..<count { dst[lane] = accumulate ? dst[lane] + value[lane] : value[lane] }
    }
}

#if SMASH_AVX512
/// Writes (with `accumulate`, adds) the first `count` lanes of `value` at `dst`, a half at a time
/// when the count falls short (an 8-pixel row fills half a vector).
@inline(__always)
func storeLanes(_ value: SIMD16<Float>, into dst: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
    if count == 16 {
        storeWide(accumulate ? value + loadWide(dst) : value, dst)
    } else {
        storeLanes(value.lowHalf, into: dst, count: min(count, 8), accumulate: accumulate)
        if count > 8 { storeLanes(value.highHalf, into: dst + 8, count: count - 8, accumulate: accumulate) }
    }
}
#endif

/// Copies `count` floats, eight at a time: rows of feature maps are too short for `memmove`'s
/// call to pay off.
@inline(__always)
func copyRow(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 8 <= count {
        storeVector(loadVector(src + i), dst + i)
        i &+= 8
    }
    while i < count {
        dst[i] = src[i]
        i &+= 1
    }
}

/// How many channels ahead of a copy the kernels that copy channel rows from memory into their
/// own buffers prefetch (`PointwisePlan.fill`, the 1x1 weight gradient's packing).
let prefetchChannelsAhead = 2

/// Starts loading the cache lines of `count` floats from `p` (a row read next).
@inline(__always)
func prefetch(_ p: UnsafePointer<Float>, count: Int) {
    var offset = 0
    while offset < count {
        smash_prefetch(p + offset)
        offset &+= 16
    }
}

/// Copies `count` floats and zeroes the rest of `dst`'s `paddedCount`: a row of a panel whose
/// last vector reaches past the source.
@inline(__always)
func copyRow(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int, paddedTo paddedCount: Int) {
    copyRow(src, to: dst, count: count)
    if count < paddedCount { (dst + count).initialize(repeating: 0, count: paddedCount &- count) }
}

#if SMASH_FMA
/// Whether SIMD's fused multiply-add is one instruction on the build's target; without it, it
/// would call `fmaf` lane by lane.
private let fusedMultiplyAddIsOneInstruction = true
#else
/// Whether SIMD's fused multiply-add is one instruction on the build's target; without it, it
/// would call `fmaf` lane by lane.
private let fusedMultiplyAddIsOneInstruction = false
#endif

/// a + b·c, fused where that is one instruction.
@inline(__always)
func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    fusedMultiplyAddIsOneInstruction ? a.addingProduct(b, c) : a + b * c
}

#if SMASH_AVX512
/// a + b·c over sixteen lanes, fused as the eight-lane form is.
@inline(__always)
func multiplyAdd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
    fusedMultiplyAddIsOneInstruction ? a.addingProduct(b, c) : a + b * c
}
#endif

/// The sum of the lanes of `v`, halving the vector until two lanes are left (`sum()` adds the
/// lanes one after another, a chain of seven dependent additions).
@inline(__always)
func laneSum(_ v: SIMD8<Float>) -> Float {
    let quarter = v.lowHalf + v.highHalf
    let pair = quarter.lowHalf + quarter.highHalf
    return pair[0] + pair[1]
}

#if SMASH_AVX512
/// The sum of the lanes of `v`, halving the vector until two lanes are left.
@inline(__always)
func laneSum(_ v: SIMD16<Float>) -> Float {
    laneSum(v.lowHalf + v.highHalf)
}
#endif

/// Σ of `count` terms, eight at a time: `vector(i)` gives terms i..<i+8 and `scalar(i)` term i
/// (for the last count % 8). Float vector partial sums over blocks of 512 terms, added up in
/// Double, so the loop vectorises (a scalar Float sum cannot: reassociating it changes its
/// rounding) while rounding stays bounded by the block.
@inline(__always)
func blockSum(count: Int, vector: (Int) -> SIMD8<Float>, scalar: (Int) -> Float) -> Double {
    blockSums(count: count, vector: { (vector($0), SIMD8()) }, scalar: { (scalar($0), 0) }).0
}

/// Two sums of `count` terms in one pass, each as `blockSum` sums it: `vector(i)` gives terms
/// i..<i+8 of both, `scalar(i)` term i of both.
@inline(__always)
func blockSums(count: Int, vector: (Int) -> (SIMD8<Float>, SIMD8<Float>), scalar: (Int) -> (Float, Float)) -> (Double, Double) {
    var totals: (Double, Double) = (0, 0)
    var i = 0
    let vectorEnd = count & ~7
    while i < vectorEnd {
        let end = min(vectorEnd, i &+ 512)
        var (a0, b0, a1, b1) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        while i &+ 16 <= end {
            let (first, second) = (vector(i), vector(i &+ 8))
            a0 += first.0
            b0 += second.0
            a1 += first.1
            b1 += second.1
            i &+= 16
        }
        if i < end {
            let terms = vector(i)
            a0 += terms.0
            a1 += terms.1
            i &+= 8
        }
        totals.0 += Double(laneSum(a0 + b0))
        totals.1 += Double(laneSum(a1 + b1))
    }
    var tails: (Float, Float) = (0, 0)
    while i < count {
        let terms = scalar(i)
        tails.0 += terms.0
        tails.1 += terms.1
        i &+= 1
    }
    return (totals.0 + Double(tails.0), totals.1 + Double(tails.1))
}
