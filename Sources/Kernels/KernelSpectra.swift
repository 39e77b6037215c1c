import Foundation

/// A convolution's weights with their Fourier spectra, transformed once for forward passes that
/// share the weights: evaluation runs one set of weights over many batches, and each Fourier
/// forward pass otherwise transforms the kernel again (7-8% of the CPU time of scoring the
/// reference configuration, in passes of 25 images). The spectra are kept in the order the
/// products read them (`FourierConvPlan.packKernelSpectrum`): tens of megabytes per convolution,
/// they stream from memory on every pass, and read in place they cost scoring 4-5% more time.
///
/// It keeps a copy of the weights it was made from, so a caller can check that it still fits
/// (`fits`) instead of trusting that the weights did not change.
public final class KernelSpectra: @unchecked Sendable {
    /// The geometry transformed for, with a batch of one (the spectra do not depend on the batch).
    private let geometry: ConvGeometry
    private let weights: UnsafeMutablePointer<Float>
    private let spectrum: UnsafeMutablePointer<Float>
    /// Floats held: the spectra and the copy of the weights.
    public let floatCount: Int

    /// The spectra of weights `w` for `geometry`; nil unless `geometry` would hold spectra
    /// (`floatCount(for:)`).
    public init?(_ w: UnsafePointer<Float>, _ geometry: ConvGeometry) {
        guard let plan = Self.plan(geometry) else { return nil }
        let kernel = FourierKernelTransform(plan.grid)
        self.geometry = geometry.withBatch(1)
        weights = .allocate(capacity: geometry.weightCount)
        weights.initialize(from: w, count: geometry.weightCount)
        spectrum = .allocate(capacity: plan.packedSpectrumFloats)
        floatCount = geometry.weightCount + plan.packedSpectrumFloats
        withPooledScratch(kernel.spectrumCount) { transformed in
            withPooledScratch(kernel.workCount) { work in kernel.transform(w, into: transformed, work: work, transposingGroups: true) }
            plan.packKernelSpectrum(transformed, into: spectrum)
        }
    }

    /// The floats that spectra for `geometry` hold; nil unless the Fourier path, its kernel
    /// transform aside, runs `geometry` (`FourierConvPlan` with `kernelTransformed`) and
    /// Winograd's algorithm, which comes first, does not.
    public static func floatCount(for geometry: ConvGeometry) -> Int? {
        plan(geometry).map { geometry.weightCount + $0.packedSpectrumFloats }
    }

    private static func plan(_ geometry: ConvGeometry) -> FourierConvPlan? {
        WinogradPlan(geometry) == nil ? FourierConvPlan(geometry, kernelTransformed: true) : nil
    }

    deinit {
        weights.deallocate()
        spectrum.deallocate()
    }

    /// Whether these are the spectra of weights `w` for `geometry` (whatever its batch).
    public func fits(_ w: UnsafePointer<Float>, _ geometry: ConvGeometry) -> Bool {
        guard geometry.withBatch(1) == self.geometry else { return false }
        return memcmp(w, weights, geometry.weightCount * MemoryLayout<Float>.stride) == 0
    }

    /// y = conv(x, w) for the weights and geometry these spectra `fits`: by the Fourier path
    /// without transforming the kernel where that path, so spared, runs the batch, else as
    /// `conv2dForward(_:_:_:_:)` does.
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ geometry: ConvGeometry) {
        if let plan = FourierConvPlan(geometry, kernelTransformed: true) {
            fourierConv2dForward(x, packedSpectrum: spectrum, y, plan, accumulate: false)
        } else {
            conv2dForward(x, weights, y, geometry)
        }
    }
}

extension ConvGeometry {
    /// The same convolution over `batch` samples.
    func withBatch(_ batch: Int) -> ConvGeometry {
        var result = self
        result.batch = batch
        return result
    }
}
