/// Eight-lane vector helpers shared by kernels: unaligned loads, multiply-adds that are fused
/// where the build targets FMA, and vectorised sums.

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

/// a + b·c, fused when the build targets FMA (`SMASH_FMA`); without it SIMD's fused form would
/// call `fmaf` lane by lane.
@inline(__always)
func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    #if SMASH_FMA
    a.addingProduct(b, c)
    #else
    a + b * c
    #endif
}

/// Σ of `count` terms, eight at a time: `vector(i)` gives terms i..<i+8 and `scalar(i)` term i
/// (for the last count % 8). Float vector partial sums over blocks of 512 terms, added up in
/// Double, so the loop vectorises (a scalar Float sum cannot: reassociating it changes its
/// rounding) while rounding stays bounded by the block.
@inline(__always)
func blockSum(count: Int, vector: (Int) -> SIMD8<Float>, scalar: (Int) -> Float) -> Double {
    var total: Double = 0
    var i = 0
    let vectorEnd = count & ~7
    while i < vectorEnd {
        let end = min(vectorEnd, i &+ 512)
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        while i &+ 16 <= end {
            a += vector(i)
            b += vector(i &+ 8)
            i &+= 16
        }
        if i < end {
            a += vector(i)
            i &+= 8
        }
        total += Double((a + b).sum())
    }
    var tail: Float = 0
    while i < count {
        tail += scalar(i)
        i &+= 1
    }
    return total + Double(tail)
}
