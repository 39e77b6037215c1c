import Foundation
import Synchronization

/// The grid of a Fourier convolution (`FourierConv2D.swift`) and the transform of its kernels,
/// a few matrix products with dense transform matrices: a kernel has at most a few dozen taps,
/// which sit anywhere on the grid. Planes are transformed by `FourierPlaneTransforms.swift`.
///
/// A plane is zero-padded to L1 x L2 (`FourierGrid`) and transformed along its width to the
/// K2 = L2/2 + 1 frequencies a real signal needs, then along its height to all L1. A spectrum
/// holds, per width frequency, the real parts of every height frequency, then the imaginary ones,
/// each a [sample × channel] matrix: [f2][re/im][f1][sample][channel] (`FourierGrid.spectrum`).

/// The transform lengths of a stride-1 convolution: each axis is at least the input extent plus
/// the leading padding, so that the circular convolution of the zero-padded planes equals the
/// padded convolution on every output position, rounded up to a length with prime factors 2,
/// 3 and 5 only (`ColumnFFT`).
struct FourierGrid: Sendable {
    let geometry: ConvGeometry
    /// Transform lengths along the height and the width.
    let lengthY: Int
    let lengthX: Int

    init(_ g: ConvGeometry) {
        geometry = g
        lengthY = ColumnFFT.smoothLength(atLeast: max(g.height + g.padY, g.outHeight))
        lengthX = ColumnFFT.smoothLength(atLeast: max(g.width + g.padX, g.outWidth))
    }

    /// Frequencies kept along the width (the rest are conjugates): K2 = L2/2 + 1.
    var halfX: Int { lengthX / 2 + 1 }
    /// Frequencies per channel: L1 · K2.
    var frequencies: Int { lengthY * halfX }

    /// Frequency `f` = f2·L1 + f1 of the spectrum at `start` of `samples` x `channels` planes: a
    /// [sample × channel] matrix.
    func spectrum(_ start: UnsafeMutablePointer<Float>, frequency f: Int, samples: Int, channels: Int) -> ComplexMatrix {
        let (f2, f1, matrix) = (f / lengthY, f % lengthY, samples &* channels)
        let real = start + (2 &* f2 &* lengthY &+ f1) &* matrix
        return ComplexMatrix(real: real, imaginary: real + lengthY &* matrix, rowStride: channels)
    }

    /// Where kernel row `ky` sits in the circular kernel, as a phase index: ky·d − pad (mod L1).
    func tapY(_ ky: Int) -> Int { ((ky * geometry.dilationY - geometry.padY) % lengthY + lengthY) % lengthY }
    func tapX(_ kx: Int) -> Int { ((kx * geometry.dilationX - geometry.padX) % lengthX + lengthX) % lengthX }

    /// The weight of width frequency `f2` when a half spectrum is summed back to a real signal:
    /// 1 for the frequencies without a conjugate twin (0, and L2/2 when L2 is even), else 2.
    func halfSpectrumWeight(_ f2: Int) -> Float { f2 == 0 || 2 * f2 == lengthX ? 1 : 2 }
}

/// cos and sin of 2π·k/length, reduced mod `length` in integers first so large products stay exact.
@inline(__always)
private func phase(_ k: Int, _ length: Int) -> (cos: Float, sin: Float) {
    let angle = 2 * Double.pi * Double(((k % length) + length) % length) / Double(length)
    return (Float(Foundation.cos(angle)), Float(Foundation.sin(angle)))
}

/// A row-major matrix of `rows` x `columns` with entries `entry(row, column)`, immutable once built.
final class TransformMatrix: @unchecked Sendable {
    let values: UnsafeMutablePointer<Float>

    init(rows: Int, columns: Int, _ entry: (Int, Int) -> Float) {
        values = .allocate(capacity: max(1, rows * columns))
        for r in 0..<rows {
            for c in 0..<columns { values[r &* columns &+ c] = entry(r, c) }
        }
    }

    deinit { values.deallocate() }
}

/// Transforms already built, by what determines them: a network's convolution shapes
/// recur at every step and every scored batch, and building a convolution's matrices (thousands
/// of cosines) took 0.6 ms of a 28 ms forward pass. Holds at most `capacity` entries (of tens of
/// kilobytes), starting over when full.
final class TransformCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let built = Mutex<[Key: Value]>([:])
    private let capacity = 64

    /// The value for `key`, built by `build` the first time.
    func value(_ key: Key, _ build: () -> Value) -> Value {
        if let value = built.withLock({ $0[key] }) { return value }
        let value = build()
        built.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = value
        }
        return value
    }
}

/// The transform of a kernel to its spectrum, and of a spectrum of weight gradients back to the
/// kernel's taps: the kernel sits in the circular grid at (ky·d − pad, kx·d − pad), so the
/// spectrum is Σ w·e^(2πi(f1·tapY/L1 + f2·tapX/L2)) (the conjugate of the usual transform, which
/// turns the product of spectra into the cross-correlation deep-learning layers compute).
struct FourierKernelTransform: Sendable {
    let grid: FourierGrid
    private let phases: KernelPhases

    /// The transform for `grid`'s convolution, its matrices built once per kernel placement.
    init(_ grid: FourierGrid) {
        self.grid = grid
        let g = grid.geometry
        let shape = KernelPhases.Shape(lengthY: grid.lengthY, lengthX: grid.lengthX, kernelHeight: g.kernelHeight,
                                       kernelWidth: g.kernelWidth, dilationY: g.dilationY, dilationX: g.dilationX,
                                       padY: g.padY, padX: g.padX)
        phases = KernelPhases.cache.value(shape) { KernelPhases(grid) }
    }

    /// Floats of a kernel's spectrum, [re/im][f1][f2][out][in/groups] (`spectrum`).
    var spectrumCount: Int { 2 * grid.lengthY * pairs * grid.halfX }
    /// Floats of the work buffer of `transform` and `accumulateGradient`.
    var workCount: Int { 2 * grid.geometry.kernelHeight * pairs * grid.halfX + grid.geometry.weightCount }
    /// (output channel, input channel in group) pairs: kernels in the weights.
    var pairs: Int { grid.geometry.outChannels * grid.geometry.groupInChannels }

    /// Frequency `f` = f2·L1 + f1 of the kernel spectrum at `start`, one [rows × columns] matrix
    /// per group after another: [out × in/groups] as the weights are, or [in/groups × out/groups]
    /// per group as `transform` with `transposingGroups` leaves them.
    func spectrum(_ start: UnsafeMutablePointer<Float>, frequency f: Int, rows: Int, columns: Int) -> ComplexMatrix {
        let (ly, kx2) = (grid.lengthY, grid.halfX)
        let real = start + ((f % ly) &* kx2 &+ f / ly) &* pairs
        return ComplexMatrix(real: real, imaginary: real + ly &* kx2 &* pairs, rowStride: columns)
    }

    /// The spectrum of the weights `w` ([out][in/groups][kh][kw]) in `spectrum`
    /// ([re/im][f1][f2][out][in/groups], `spectrumCount`), using `work` (`workCount`); with
    /// `transposingGroups`, [re/im][f1][f2][group][in/groups][out/groups].
    func transform(_ w: UnsafePointer<Float>, into spectrum: UnsafeMutablePointer<Float>, work: UnsafeMutablePointer<Float>,
                   transposingGroups: Bool) {
        let g = grid.geometry
        let (kx2, taps) = (grid.halfX, g.kernelHeight * g.kernelWidth)
        let kernels = work + 2 * g.kernelHeight * pairs * kx2
        if transposingGroups {
            let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
            for group in 0..<g.groups {
                for o in 0..<cout {
                    for i in 0..<cin {
                        copyRow(w + ((group * cout + o) * cin + i) * taps, to: kernels + ((group * cin + i) * cout + o) * taps, count: taps)
                    }
                }
            }
        }
        let w = transposingGroups ? UnsafePointer(kernels) : w
        // Along the width: work[(ky, re/im)][f2][pair].
        for ky in 0..<g.kernelHeight {
            for part in 0..<2 {
                gemm(.yes, .yes, m: kx2, n: pairs, k: g.kernelWidth, phases.kernelX.values + part * kx2, lda: 2 * kx2,
                     w + ky * g.kernelWidth, ldb: taps, work + (2 * ky + part) * pairs * kx2, ldc: pairs)
            }
        }
        gemm(.no, .no, m: 2 * grid.lengthY, n: pairs * kx2, k: 2 * g.kernelHeight, phases.kernelY.values, lda: 2 * g.kernelHeight,
             work, ldb: pairs * kx2, spectrum, ldc: pairs * kx2)
    }

    /// dw += the taps of the weight-gradient spectrum `spectrum` ([re/im][f1][f2][out][in/groups],
    /// the products Σ conj(output gradient)·input), using `work` (`workCount`).
    func accumulateGradient(_ spectrum: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>, work: UnsafeMutablePointer<Float>) {
        let g = grid.geometry
        let (kx2, taps) = (grid.halfX, g.kernelHeight * g.kernelWidth)
        // Along the height, to the kernel rows: work[(ky, re/im)][f2][pair].
        gemm(.no, .no, m: 2 * g.kernelHeight, n: pairs * kx2, k: 2 * grid.lengthY, phases.gradientY.values, lda: 2 * grid.lengthY,
             spectrum, ldb: pairs * kx2, work, ldc: pairs * kx2)
        for ky in 0..<g.kernelHeight {
            for part in 0..<2 {
                gemm(.yes, .no, m: pairs, n: g.kernelWidth, k: kx2, work + (2 * ky + part) * pairs * kx2, lda: pairs,
                     phases.gradientX.values + part * kx2 * g.kernelWidth, ldb: g.kernelWidth, beta: 1, dw + ky * g.kernelWidth, ldc: taps)
            }
        }
    }
}

/// A kernel transform's matrices, which depend only on the grid and where the taps sit in it.
private final class KernelPhases: Sendable {
    struct Shape: Hashable, Sendable {
        let lengthY: Int, lengthX: Int, kernelHeight: Int, kernelWidth: Int, dilationY: Int, dilationX: Int, padY: Int, padX: Int
    }

    static let cache = TransformCache<Shape, KernelPhases>()

    /// [kernelWidth × 2·K2]: columns (re/im, f2) of e^(2πi·f2·tapX/L2).
    let kernelX: TransformMatrix
    /// [2·L1 × 2·kernelHeight]: rows (re/im, f1), columns (kernel row, re/im) of e^(2πi·f1·tapY/L1).
    let kernelY: TransformMatrix
    /// [2·kernelHeight × 2·L1]: the same phases taking gradient parts (re/im, f1) to (kernel row, re/im).
    let gradientY: TransformMatrix
    /// [2·K2 × kernelWidth]: rows (re/im, f2), back to real values with the half spectrum's
    /// weights and the 1/(L1·L2) scale.
    let gradientX: TransformMatrix

    init(_ grid: FourierGrid) {
        let g = grid.geometry
        let (ly, lx, kx2) = (grid.lengthY, grid.lengthX, grid.halfX)
        let scale = 1 / Float(ly * lx)
        kernelX = TransformMatrix(rows: g.kernelWidth, columns: 2 * kx2) { kx, column in
            let p = phase((column % kx2) * grid.tapX(kx), lx)
            return column < kx2 ? p.cos : p.sin
        }
        // (a + ib)·e^(iθ): real a·cosθ − b·sinθ, imaginary a·sinθ + b·cosθ.
        kernelY = TransformMatrix(rows: 2 * ly, columns: 2 * g.kernelHeight) { row, column in
            let p = phase((row % ly) * grid.tapY(column / 2), ly)
            let (imaginaryOut, imaginaryIn) = (row >= ly, column % 2 == 1)
            return imaginaryOut == imaginaryIn ? p.cos : (imaginaryIn ? -p.sin : p.sin)
        }
        gradientY = TransformMatrix(rows: 2 * g.kernelHeight, columns: 2 * ly) { row, column in
            let p = phase((column % ly) * grid.tapY(row / 2), ly)
            let (imaginaryOut, imaginaryIn) = (row % 2 == 1, column >= ly)
            return imaginaryOut == imaginaryIn ? p.cos : (imaginaryIn ? -p.sin : p.sin)
        }
        gradientX = TransformMatrix(rows: 2 * kx2, columns: g.kernelWidth) { row, kx in
            let f2 = row % kx2, p = phase(f2 * grid.tapX(kx), lx), weight = grid.halfSpectrumWeight(f2) * scale
            return row < kx2 ? weight * p.cos : -weight * p.sin
        }
    }
}
