/// Stride-1 convolutions with large or dilated kernels by discrete Fourier transforms
/// (`FourierTransforms.swift`): input planes and kernels are transformed once on a grid a little
/// larger than the image, each frequency becomes one small complex matrix product of
/// [samples × in channels] by [in channels × out channels], and the inverse transform gives the
/// output. The products cost about 2.4 multiply-adds per output value and channel pair on a 32x32
/// image whatever the kernel (a direct 5x7 kernel costs 35); the transforms, dense transform
/// matrices applied as matrix products, cost about as much again per plane, so `FourierConvPlan`
/// compares multiply-adds before it applies. (48 -> 48 channels, 5x7 kernel, 32x32, batch 50, two
/// threads: forward 28 ms against 84 ms by im2col, forward and backward 79-97 against 269 ms.)
///
/// Each frequency's product is a complex [samples × in] by [in × out] product per group
/// (`complexMultiply`). The weight gradient is the spectrum Σ conj(dY)ᵀ·X over the samples,
/// brought back to the kernel's taps.

/// How a Fourier convolution runs a geometry: its grid, and the samples transformed at once.
struct FourierConvPlan: Sendable {
    /// Floats of work buffers and spectra one run of samples may fill (28 MiB).
    static let targetRunFloats = 7 << 20
    /// How many times fewer multiply-adds than the direct convolution the transforms and products
    /// must need, against im2col and against the direct kernels (`DirectConvPlan`), which run
    /// the same multiply-adds faster. Measured on SMASH's shapes at batch 50 on two threads (the
    /// reference configuration's scoring): against im2col a 1.9 times saving broke even (a
    /// dilated 3x3 kernel, 64 channels at 16x16), 3.0 ran 1.7x faster and 4.6 2.9x; against the
    /// direct kernels 2.2-3.0 lost (0.65-0.9x), 2.9-3.7 won 1.04-1.38x and 5.8 2.4x.
    static let savingOverUnfolded = 2.2
    static let savingOverDirect = 3.3

    let geometry: ConvGeometry
    let grid: FourierGrid
    let samplesPerRun: Int
    /// Floats per sample of the transforms' work buffer: 2·K2·height·channels on the larger side.
    let workFloatsPerSample: Int

    /// Nil unless `geometry` is a stride-1 convolution with a spatial kernel, padding at most its
    /// extent, and the Fourier path needs `saving` times fewer multiply-adds (by default
    /// `savingOverDirect` where the direct kernels apply, else `savingOverUnfolded`). A run of
    /// samples fills at most `runFloats` floats (at least one sample per run).
    init?(_ geometry: ConvGeometry, saving: Double? = nil, runFloats: Int = targetRunFloats) {
        let g = geometry
        guard g.strideY == 1, g.strideX == 1, g.kernelHeight * g.kernelWidth > 1,
              g.padY <= g.dilationY * (g.kernelHeight - 1), g.padX <= g.dilationX * (g.kernelWidth - 1) else { return nil }
        self.geometry = g
        grid = FourierGrid(g)
        workFloatsPerSample = 2 * grid.halfX * max(g.inChannels * g.height, g.outChannels * g.outHeight)
        let perSample = grid.frequencies * 2 * (g.inChannels + g.outChannels) + workFloatsPerSample
        samplesPerRun = max(1, min(g.batch, runFloats / perSample))
        let required = saving ?? (DirectConvPlan(g) == nil ? Self.savingOverUnfolded : Self.savingOverDirect)
        guard Double(multiplyAdds) * required <= Double(g.multiplyAdds) else { return nil }
    }

    /// The forward transform of inputs, the inverse one of outputs and the forward one of output
    /// gradients.
    var inputTransform: FourierForwardTransform { FourierForwardTransform.cached(grid, height: geometry.height, width: geometry.width) }
    var outputTransform: FourierInverseTransform { FourierInverseTransform.cached(grid, height: geometry.outHeight, width: geometry.outWidth) }
    var outputGradientTransform: FourierForwardTransform {
        FourierForwardTransform.cached(grid, height: geometry.outHeight, width: geometry.outWidth)
    }

    /// Floats of a run's input and output spectra.
    var inputSpectrumFloats: Int { grid.frequencies * samplesPerRun * 2 * geometry.inChannels }
    var outputSpectrumFloats: Int { grid.frequencies * samplesPerRun * 2 * geometry.outChannels }

    /// Multiply-adds of the forward pass: transforms, products and kernel transform.
    var multiplyAdds: Int {
        let g = geometry
        let (kx2, ly) = (grid.halfX, grid.lengthY)
        let input = g.batch * g.inChannels * 2 * kx2 * g.height * (g.width + 2 * ly)
        let output = g.batch * g.outChannels * 2 * kx2 * g.outHeight * (2 * ly + g.outWidth)
        let products = grid.frequencies * g.batch * 4 * g.inChannels * g.groupOutChannels
        let kernel = g.outChannels * g.groupInChannels * 2 * g.kernelHeight * kx2 * (g.kernelWidth + 2 * ly)
        return input + output + products + kernel
    }
}

extension FourierConvPlan {
    /// Calls `body(run, inputs, outputs, work)` for each run of samples with a run's input and
    /// output spectra (`inputSpectrumFloats`, `outputSpectrumFloats`) and the transforms' work
    /// buffer (`workFloatsPerSample` per sample).
    func forEachRun(_ body: (Range<Int>, SharedPointer<Float>, SharedPointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        let workFloats = workFloatsPerSample * samplesPerRun
        withPooledScratch(workFloats + inputSpectrumFloats + outputSpectrumFloats) { work in
            let inputs = work + workFloats
            for run in sampleRuns(0..<geometry.batch, size: samplesPerRun) {
                body(run, SharedPointer(inputs), SharedPointer(inputs + inputSpectrumFloats), work)
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

/// y = conv(x, w), or y += conv(x, w) with `accumulate`, for a geometry `plan` accepts.
func fourierConv2dForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          _ plan: FourierConvPlan, accumulate: Bool) {
    let g = plan.geometry
    let (cin, cout) = (g.groupInChannels, g.groupOutChannels)
    let kernel = FourierKernelTransform(plan.grid)
    let (input, output) = (plan.inputTransform, plan.outputTransform)
    withPooledScratch(kernel.spectrumCount) { spectrum in
        withPooledScratch(kernel.workCount) { work in kernel.transform(w, into: spectrum, work: work, transposingGroups: true) }
        let ws = SharedPointer(spectrum)
        plan.forEachRun { run, xs, ys, work in
            let samples = run.count
            input.apply(x + run.lowerBound * g.inChannels * g.height * g.width, count: samples * g.inChannels,
                        into: xs.pointer, work: work)
            plan.forEachFrequency(samples: samples) { f in
                let x = plan.grid.spectrum(xs.pointer, frequency: f, samples: samples, channels: g.inChannels)
                let y = plan.grid.spectrum(ys.pointer, frequency: f, samples: samples, channels: g.outChannels)
                let w = kernel.spectrum(ws.pointer, frequency: f, rows: cin, columns: cout)
                for group in 0..<g.groups {
                    complexMultiply(rows: samples, columns: cout, depth: cin, x.from(column: group * cin), w.from(row: group * cin),
                                    into: y.from(column: group * cout), conjugateA: false, accumulate: false)
                }
            }
            output.apply(ys.pointer, count: samples * g.outChannels,
                         into: y + run.lowerBound * g.outChannels * g.outHeight * g.outWidth, accumulate: accumulate, work: work)
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
    let (input, outputGradient) = (plan.inputTransform, plan.outputGradientTransform)
    withPooledScratch(kernel.spectrumCount) { spectrum in
        setZero(spectrum, count: kernel.spectrumCount)
        let ws = SharedPointer(spectrum)
        plan.forEachRun { run, xs, dys, work in
            let samples = run.count
            input.apply(x + run.lowerBound * g.inChannels * g.height * g.width, count: samples * g.inChannels,
                        into: xs.pointer, work: work)
            outputGradient.apply(dy + run.lowerBound * g.outChannels * g.outHeight * g.outWidth, count: samples * g.outChannels,
                                 into: dys.pointer, work: work)
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
