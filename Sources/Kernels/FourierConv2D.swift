/// Stride-1 convolutions with large or dilated kernels by discrete Fourier transforms: input
/// planes (`FourierPlaneTransforms.swift`) and kernels (`FourierTransforms.swift`) are
/// transformed once on a grid a little larger than the image, each frequency becomes one small
/// complex matrix product of [samples × in channels] by [in channels × out channels], and the
/// inverse transform gives the output. The products cost about 2.4 multiply-adds per output
/// value and channel pair on a 32x32 image whatever the kernel (a direct 5x7 kernel costs 35);
/// the fast transforms cost about 30 flops per value of a 32x32 plane, so `FourierConvPlan`
/// compares multiply-adds before it applies. (48 -> 48 channels, 5x7 kernel,
/// 32x32, batch 50, two threads: forward 44 ms against 132 ms by im2col.)
///
/// Each frequency's product is a complex [samples × in] by [in × out] product per group
/// (`complexMultiply`). The weight gradient is the spectrum Σ conj(dY)ᵀ·X over the samples,
/// brought back to the kernel's taps.

/// How a Fourier convolution runs a geometry: its grid, and the samples transformed at once.
struct FourierConvPlan: Sendable {
    /// Floats of spectra one run of samples may fill (28 MiB).
    static let targetRunFloats = 7 << 20
    /// How many times fewer multiply-adds (`multiplyAdds`) than the direct convolution the
    /// transforms and products must need, against im2col and against the direct kernels
    /// (`DirectConvPlan`), which run the same multiply-adds faster. Measured forward on SMASH's
    /// shapes at batch 50 on two threads (the reference configuration's scoring): against im2col
    /// savings of 2.1-2.4 ran 0.9-1.3x as fast, 2.5 1.55x, 3.8-5.0 2.3-2.4x and 8.2 3.0x;
    /// against the direct kernels 2.5 ran 0.8x, 2.8-3.3 1.2-1.5x at 8x8 but 3.1 0.8x at 16x16,
    /// 3.8-4.9 1.0-1.4x.
    static let savingOverUnfolded = 2.2
    static let savingOverDirect = 3.3

    let geometry: ConvGeometry
    let grid: FourierGrid
    let samplesPerRun: Int
    let kernelTransformed: Bool

    /// Nil unless `geometry` is a stride-1 convolution with a spatial kernel, padding at most its
    /// extent, and the Fourier path needs `saving` times fewer multiply-adds (by default
    /// `savingOverDirect` where the direct kernels apply, else `savingOverUnfolded`). A run of
    /// samples fills at most `runFloats` floats (at least one sample per run). With
    /// `kernelTransformed` the kernel's spectra are at hand (`KernelSpectra`) and cost nothing.
    init?(_ geometry: ConvGeometry, saving: Double? = nil, runFloats: Int = targetRunFloats, kernelTransformed: Bool = false) {
        let g = geometry
        self.kernelTransformed = kernelTransformed
        guard g.strideY == 1, g.strideX == 1, g.kernelHeight * g.kernelWidth > 1,
              g.padY <= g.dilationY * (g.kernelHeight - 1), g.padX <= g.dilationX * (g.kernelWidth - 1) else { return nil }
        self.geometry = g
        grid = FourierGrid(g)
        let perSample = grid.frequencies * 2 * (g.inChannels + g.outChannels)
        samplesPerRun = max(1, min(g.batch, runFloats / perSample))
        let required = saving ?? (DirectConvPlan(g) == nil ? Self.savingOverUnfolded : Self.savingOverDirect)
        guard Double(multiplyAdds) * required <= Double(g.multiplyAdds) else { return nil }
    }

    /// The transforms of input planes and of output planes (outputs and their gradients).
    var inputPlanes: FourierPlaneTransform { FourierPlaneTransform(grid, height: geometry.height, width: geometry.width) }
    var outputPlanes: FourierPlaneTransform { FourierPlaneTransform(grid, height: geometry.outHeight, width: geometry.outWidth) }

    /// Floats of a run's input and output spectra.
    var inputSpectrumFloats: Int { grid.frequencies * samplesPerRun * 2 * geometry.inChannels }
    var outputSpectrumFloats: Int { grid.frequencies * samplesPerRun * 2 * geometry.outChannels }

    /// Multiply-adds of the forward pass: transforms, products and kernel transform. A plane's
    /// transform takes one complex transform along the width per pair of rows and one along
    /// the height per width frequency (`ColumnFFT.multiplyAdds`, in flops); the products run
    /// on whole vectors (`WideVector`) of a group's output channels (`complexMultiply`).
    var multiplyAdds: Int {
        let g = geometry
        let (alongX, alongY) = (ColumnFFT.multiplyAdds(length: grid.lengthX), ColumnFFT.multiplyAdds(length: grid.lengthY))
        let kx2 = grid.halfX
        let input = g.batch * g.inChannels * ((g.height + 1) / 2 * alongX + kx2 * alongY)
        let output = g.batch * g.outChannels * (kx2 * alongY + (g.outHeight + 1) / 2 * alongX)
        let lanes = WideVector.scalarCount
        let products = grid.frequencies * g.batch * 4 * g.inChannels * ((g.groupOutChannels + lanes - 1) / lanes * lanes)
        let kernel = kernelTransformed ? 0 : g.outChannels * g.groupInChannels * 2 * g.kernelHeight * kx2 * (g.kernelWidth + 2 * grid.lengthY)
        return input + output + products + kernel
    }
}

extension FourierConvPlan {
    /// Calls `body(run, inputs, outputs)` for each run of samples with a run's input and output
    /// spectra (`inputSpectrumFloats`, `outputSpectrumFloats`).
    func forEachRun(_ body: (Range<Int>, SharedPointer<Float>, SharedPointer<Float>) -> Void) {
        withPooledScratch(inputSpectrumFloats + outputSpectrumFloats) { inputs in
            for run in sampleRuns(0..<geometry.batch, size: samplesPerRun) {
                body(run, SharedPointer(inputs), SharedPointer(inputs + inputSpectrumFloats))
            }
        }
    }

    /// Calls `body(f)` for every frequency, split over the threads, for the products of a run of
    /// `samples` samples.
    func forEachFrequency(samples: Int, _ body: @Sendable (Int) -> Void) {
        let g = geometry
        Parallelism.forEachProduct(grid.frequencies, work: grid.frequencies * samples * 4 * g.inChannels * g.groupOutChannels, body)
    }
}

/// y = conv(x, w), or y += conv(x, w) with `accumulate`, for a geometry `plan` accepts: the
/// kernel transformed for this pass, its spectrum read in place (packing it into panels for one
/// pass costs more than it saves).
func fourierConv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ plan: FourierConvPlan, accumulate: Bool) {
    let g = plan.geometry
    let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
    let kernel = FourierKernelTransform(plan.grid)
    withPooledScratch(kernel.spectrumCount) { spectrum in
        withPooledScratch(kernel.workCount) { work in kernel.transform(w, into: spectrum, work: work, transposingGroups: true) }
        let ws = SharedPointer(spectrum)
        fourierConv2dForward(x, y, plan, accumulate: accumulate) { f, x, y, samples in
            let w = kernel.spectrum(ws.pointer, frequency: f, rows: cin, columns: cout)
            for group in 0..<g.groups {
                complexMultiply(rows: samples, columns: cout, depth: cin, x.from(column: group * cin), w.from(row: group * cin),
                                into: y.from(column: group * cout), conjugateA: false, accumulate: false)
            }
        }
    }
}

/// y = conv(x, w), or y += conv(x, w) with `accumulate`, for a geometry `plan` accepts, given the
/// kernel's spectrum in panels (`FourierConvPlan.packKernelSpectrum`).
func fourierConv2dForward(_ x: UnsafePointer<Float>, packedSpectrum: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ plan: FourierConvPlan, accumulate: Bool) {
    let g = plan.geometry
    let (cin, cout, groupFloats) = (g.groupInChannels, g.groupOutChannels, plan.packedGroupFloats)
    let ws = SharedPointer(UnsafeMutablePointer(mutating: packedSpectrum))
    fourierConv2dForward(x, y, plan, accumulate: accumulate) { f, x, y, samples in
        for group in 0..<g.groups {
            complexMultiply(rows: samples, columns: cout, depth: cin, x.from(column: group * cin),
                            panels: ws.pointer + (f * g.groups + group) * groupFloats, into: y.from(column: group * cout), accumulate: false)
        }
    }
}

/// The forward pass around the products: `product(f, x, y, samples)` writes frequency `f`'s
/// output spectra y ([samples × out]) from its input spectra x ([samples × in]).
private func fourierConv2dForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ plan: FourierConvPlan, accumulate: Bool,
                                  product: @escaping @Sendable (Int, ComplexMatrix, ComplexMatrix, Int) -> Void) {
    let g = plan.geometry
    let (input, output) = (plan.inputPlanes, plan.outputPlanes)
    plan.forEachRun { run, xs, ys in
        let samples = run.count
        input.forward(x + run.lowerBound * g.inChannels * g.height * g.width, count: samples * g.inChannels, into: xs.pointer)
        plan.forEachFrequency(samples: samples) { f in
            product(f, plan.grid.spectrum(xs.pointer, frequency: f, samples: samples, channels: g.inChannels),
                    plan.grid.spectrum(ys.pointer, frequency: f, samples: samples, channels: g.outChannels), samples)
        }
        output.inverse(ys.pointer, count: samples * g.outChannels,
                     into: y + run.lowerBound * g.outChannels * g.outHeight * g.outWidth, accumulate: accumulate)
    }
}

extension FourierConvPlan {
    /// Floats of one group's kernel spectrum at one frequency in panels: [in/groups × out/groups].
    var packedGroupFloats: Int { ComplexPanels.floatCount(depth: geometry.groupInChannels, columns: geometry.groupOutChannels) }
    /// Floats of the kernel's spectrum in panels (`packKernelSpectrum`).
    var packedSpectrumFloats: Int { grid.frequencies * geometry.groups * packedGroupFloats }

    /// Writes the kernel's `spectrum` (as `FourierKernelTransform.transform` leaves it with
    /// `transposingGroups`) into `packed` (`packedSpectrumFloats`) in the order the forward
    /// products read it: frequency by frequency, group by group, `ComplexPanels` of
    /// [in/groups × out/groups].
    func packKernelSpectrum(_ spectrum: UnsafeMutablePointer<Float>, into packed: UnsafeMutablePointer<Float>) {
        let (cin, cout, groups) = (geometry.groupInChannels, geometry.groupOutChannels, geometry.groups)
        let kernel = FourierKernelTransform(grid)
        for f in 0..<grid.frequencies {
            let w = kernel.spectrum(spectrum, frequency: f, rows: cin, columns: cout)
            for group in 0..<groups {
                ComplexPanels.pack(w.from(row: group * cin), depth: cin, columns: cout, into: packed + (f * groups + group) * packedGroupFloats)
            }
        }
    }
}

/// dw += the weight gradient of a convolution `plan` accepts, given its input `x` and output
/// gradient `dy`.
func fourierConv2dBackwardWeight(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dw: UnsafeMutablePointer<Float>,
                                 _ plan: FourierConvPlan) {
    let g = plan.geometry
    let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
    let kernel = FourierKernelTransform(plan.grid)
    let (input, outputGradient) = (plan.inputPlanes, plan.outputPlanes)
    withPooledScratch(kernel.spectrumCount) { spectrum in
        setZero(spectrum, count: kernel.spectrumCount)
        let ws = SharedPointer(spectrum)
        plan.forEachRun { run, xs, dys in
            let samples = run.count
            input.forward(x + run.lowerBound * g.inChannels * g.height * g.width, count: samples * g.inChannels, into: xs.pointer)
            outputGradient.forward(dy + run.lowerBound * g.outChannels * g.outHeight * g.outWidth, count: samples * g.outChannels,
                                 into: dys.pointer)
            plan.forEachFrequency(samples: samples) { f in
                let x = plan.grid.spectrum(xs.pointer, frequency: f, samples: samples, channels: g.inChannels)
                let dy = plan.grid.spectrum(dys.pointer, frequency: f, samples: samples, channels: g.outChannels)
                let dw = kernel.spectrum(ws.pointer, frequency: f, rows: cout, columns: cin)
                for group in 0..<g.groups {
                    // conj(dY)ᵀ·X, with dY read as [out × samples].
                    let dyColumns = ComplexMatrix(real: dy.real + group * cout, imaginary: dy.imaginary + group * cout,
                                                  rowStride: 1, columnStride: g.outChannels)
                    complexMultiply(rows: cout, columns: cin, depth: samples, dyColumns, x.from(column: group * cin),
                                    into: dw.from(row: group * cout), conjugateA: true, accumulate: true)
                }
            }
        }
        withPooledScratch(kernel.workCount) { work in kernel.accumulateGradient(spectrum, into: dw, work: work) }
    }
}
