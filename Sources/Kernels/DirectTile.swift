/// The register tiles of the direct and pointwise convolution kernels (`DirectConv2D.swift`,
/// `DirectConv2DWeightGradient.swift`, `PointwiseConv2D.swift`): up to three vectors (output
/// pixels in the forward passes, taps in the weight gradient) by up to `DirectTile.channels`
/// output channels, each shape compiled to its own loop so that its accumulators stay in
/// registers.

/// A tile's shape as generic constants, so that each shape compiles to its own loop.
struct TileShape<let vectors: Int, let channels: Int> {}

/// A count of vectors as a generic constant.
struct TileVectors<let count: Int> {}

/// A computation over register tiles of up to `DirectTile.vectors` vectors by
/// `DirectTile.channels` output channels.
protocol TileSweep {
    associatedtype Result
    /// The tile at `index` (its meaning is the conformer's) of the given shape.
    func sweep<let vectors: Int, let channels: Int>(_ index: Int, _ shape: TileShape<vectors, channels>) -> Result
}

extension TileSweep {
    /// `sweep(index, _)` with the shape of `vectors` by `channels` (each at least one).
    @inline(__always)
    func dispatch(_ index: Int, vectors: Int, channels: Int) -> Result {
        switch vectors {
        case 3: dispatch(index, channels: channels, TileVectors<3>())
        case 2: dispatch(index, channels: channels, TileVectors<2>())
        default: dispatch(index, channels: channels, TileVectors<1>())
        }
    }

    @inline(__always)
    private func dispatch<let vectors: Int>(_ index: Int, channels: Int, _: TileVectors<vectors>) -> Result {
        switch channels {
        #if SMASH_AVX512
        case 8: sweep(index, TileShape<vectors, 8>())
        case 7: sweep(index, TileShape<vectors, 7>())
        case 6: sweep(index, TileShape<vectors, 6>())
        case 5: sweep(index, TileShape<vectors, 5>())
        #endif
        case 4: sweep(index, TileShape<vectors, 4>())
        case 3: sweep(index, TileShape<vectors, 3>())
        case 2: sweep(index, TileShape<vectors, 2>())
        default: sweep(index, TileShape<vectors, 1>())
        }
    }
}

/// The accumulators of a tile, indexed by counts that specialisation makes constant. Eight
/// channels by three vectors take 24 registers, which a 512-bit target's 32 hold beside the
/// three input vectors and a weight; a 256-bit target's 16 hold four channels' twelve. (A
/// wider tile loads each input vector for twice the multiply-adds.)
struct DirectTile {
    static let vectors = 3
    static let channels = WideVector.scalarCount == 16 ? 8 : 4

    /// One output channel's accumulators.
    struct Channel {
        var a0 = WideVector(), a1 = WideVector(), a2 = WideVector()

        /// a_v += x_v · w for v < vectors.
        @inline(__always)
        mutating func add(_ x0: WideVector, _ x1: WideVector, _ x2: WideVector, _ w: WideVector, vectors: Int) {
            a0 = multiplyAdd(a0, x0, w)
            if vectors > 1 { a1 = multiplyAdd(a1, x1, w) }
            if vectors > 2 { a2 = multiplyAdd(a2, x2, w) }
        }

        @inline(__always)
        func vector(_ v: Int) -> WideVector {
            switch v {
            case 0: a0
            case 1: a1
            default: a2
            }
        }
    }

    var c0 = Channel(), c1 = Channel(), c2 = Channel(), c3 = Channel()
    var c4 = Channel(), c5 = Channel(), c6 = Channel(), c7 = Channel()

    /// a_vc += x_v · w(c) for v < vectors, c < channels.
    @inline(__always)
    private mutating func add(_ x0: WideVector, _ x1: WideVector, _ x2: WideVector, vectors: Int, channels: Int,
                              _ w: (Int) -> WideVector) {
        c0.add(x0, x1, x2, w(0), vectors: vectors)
        if channels > 1 { c1.add(x0, x1, x2, w(1), vectors: vectors) }
        if channels > 2 { c2.add(x0, x1, x2, w(2), vectors: vectors) }
        if channels > 3 { c3.add(x0, x1, x2, w(3), vectors: vectors) }
        if channels > 4 { c4.add(x0, x1, x2, w(4), vectors: vectors) }
        if channels > 5 { c5.add(x0, x1, x2, w(5), vectors: vectors) }
        if channels > 6 { c6.add(x0, x1, x2, w(6), vectors: vectors) }
        if channels > 7 { c7.add(x0, x1, x2, w(7), vectors: vectors) }
    }

    /// a_vc += x_v · w[c]: the forward passes, one weight per channel.
    @inline(__always)
    mutating func add(_ x0: WideVector, _ x1: WideVector, _ x2: WideVector, weights w: UnsafePointer<Float>,
                      vectors: Int, channels: Int) {
        add(x0, x1, x2, vectors: vectors, channels: channels) { WideVector(repeating: w[$0]) }
    }

    /// a_vc += Σₚ x_p,v · w[p · channels + c] over `depth` rows p of a panel of up to three
    /// vectors per row (rows `rowStride` apart) and weights packed `DirectTile.channels` per
    /// row: the sweep of the pointwise kernel and of the panel products.
    @inline(__always)
    mutating func addPanel(_ panel: UnsafePointer<Float>, rowStride: Int, weights: UnsafePointer<Float>, depth: Int,
                           vectors: Int, channels: Int) {
        let lanes = WideVector.scalarCount
        var (x, w) = (panel, weights)
        for _ in 0..<depth {
            let x0 = loadWide(x)
            let x1 = vectors > 1 ? loadWide(x + lanes) : x0
            let x2 = vectors > 2 ? loadWide(x + 2 &* lanes) : x0
            add(x0, x1, x2, weights: w, vectors: vectors, channels: channels)
            x += rowStride
            w += DirectTile.channels
        }
    }

    /// a_vc += x_v · g[c · channelStride ..< c · channelStride + lanes]: the weight gradient,
    /// where x_v holds a tap's inputs and each channel brings a vector of output gradients.
    @inline(__always)
    mutating func add(_ x0: WideVector, _ x1: WideVector, _ x2: WideVector, gradients g: UnsafePointer<Float>,
                      channelStride: Int, vectors: Int, channels: Int) {
        add(x0, x1, x2, vectors: vectors, channels: channels) { loadWide(g + $0 &* channelStride) }
    }

    @inline(__always)
    func vector(_ v: Int, channel c: Int) -> WideVector {
        switch c {
        case 0: c0.vector(v)
        case 1: c1.vector(v)
        case 2: c2.vector(v)
        case 3: c3.vector(v)
        case 4: c4.vector(v)
        case 5: c5.vector(v)
        case 6: c6.vector(v)
        default: c7.vector(v)
        }
    }
}
