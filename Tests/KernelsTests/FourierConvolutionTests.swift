@testable import Kernels
import Randomness
import Testing

@Suite struct FourierConvolutionTests {
    @Test(arguments: fourierCases)
    func fourierCasesUseTheFourierPlan(_ g: ConvGeometry) throws {
        let transposed = try #require(TransposedConvolution(g))
        for geometry in [g, transposed.geometry] {
            #expect(WinogradPlan(geometry) == nil && FourierConvPlan(geometry) != nil, "\(geometry)")
        }
    }

    /// The Fourier kernels on any geometry they can run, whatever their cost: dilation, groups,
    /// padding short of the kernel's reach (smaller outputs), odd and even grids, and runs of
    /// one sample each (transformed, multiplied and transformed back on their own); the output
    /// accumulates, the weight gradient adds to what is there.
    @Test(arguments: convCases.filter { FourierConvPlan($0, saving: 0) != nil }, [1, 2])
    func forwardAndWeightGradientMatchTheReference(_ g: ConvGeometry, threads: Int) throws {
        var generator = SeededGenerator(seed: 3)
        let random = { (count: Int) in (0..<count).map { _ in generator.normal() } }
        let x = random(g.inputCount), w = random(g.weightCount), dy = random(g.outputCount)
        let expectedY = naiveConv2d(x, w, g).map { $0 + 1 }
        let expectedDw = naiveConv2dWeightGradient(x, dy, g).map { $0 + 1 }
        for runFloats in [FourierConvPlan.targetRunFloats, 1] {
            let plan = try #require(FourierConvPlan(g, saving: 0, runFloats: runFloats))
            #expect(runFloats > 1 || plan.samplesPerRun == 1)
            var y = [Float](repeating: 1, count: g.outputCount), dw = [Float](repeating: 1, count: g.weightCount)
            Parallelism.withThreads(threads) {
                fourierConv2dForward(x, w, &y, plan, accumulate: true)
                fourierConv2dBackwardWeight(x, dy, &dw, plan)
            }
            #expect(maximumError(y, expectedY) < 1e-5, "\(g) forward")
            #expect(maximumError(dw, expectedDw) < 1e-5, "\(g) weight gradient")
        }
    }

    /// Spectra transformed once give the forward pass of any batch of their geometry, and fit
    /// only the weights and geometry they were made from; groups whose output channels fill
    /// whole vectors, half a vector of sixteen, or neither.
    @Test(arguments: [fourierCases[0]] + [8, 12, 24].map { groupOut in
        ConvGeometry(batch: 2, inChannels: 96, outChannels: 2 * groupOut, height: 16, width: 15, kernelHeight: 7, kernelWidth: 7,
                     padY: 3, padX: 3, groups: 2)
    })
    func keptKernelSpectraRunTheForwardPassOfAnyBatch(_ g: ConvGeometry) throws {
        try #require(KernelSpectra.floatCount(for: g) != nil, "\(g) keeps no spectra")
        var generator = SeededGenerator(seed: 4)
        let w = (0..<g.weightCount).map { _ in generator.normal() }
        let spectra = try #require(KernelSpectra(w, g))
        for batch in [g.batch, 1, 2 * g.batch] {
            let geometry = g.withBatch(batch)
            let x = (0..<geometry.inputCount).map { _ in generator.normal() }
            var y = [Float](repeating: .nan, count: geometry.outputCount)
            #expect(spectra.fits(w, geometry))
            spectra.forward(x, &y, geometry)
            #expect(maximumError(y, naiveConv2d(x, w, geometry)) < 1e-5, "batch \(batch)")
        }
        var changed = w
        changed[changed.count / 2] += 1e-3
        var padded = g
        padded.padX -= 1
        #expect(!spectra.fits(changed, g) && !spectra.fits(w, padded))
        #expect(spectra.floatCount > g.weightCount)
        let direct = ConvGeometry(batch: 2, inChannels: 4, outChannels: 4, height: 6, width: 6, kernelHeight: 3, kernelWidth: 3,
                                  padY: 1, padX: 1)
        #expect(KernelSpectra([Float](repeating: 1, count: direct.weightCount), direct) == nil)
    }

    /// The largest difference relative to the largest reference magnitude.
    private func maximumError(_ values: [Float], _ reference: [Float]) -> Float {
        let scale = reference.map { abs($0) }.max() ?? 1
        return zip(values, reference).map { abs($0 - $1) }.max().map { $0 / max(scale, 1) } ?? 0
    }
}

@Suite struct ScratchPoolTests {
    /// Nested requests get distinct buffers of the sizes asked for, also when a pooled buffer
    /// is too small and is replaced.
    @Test func nestedPooledBuffersNeverOverlap() {
        for (outer, inner) in [(1000, 1000), (10, 5000), (5000, 10)] {
            withPooledScratch(outer) { a in
                a.initialize(repeating: 1, count: outer)
                withPooledScratch(inner) { b in
                    b.initialize(repeating: 2, count: inner)
                    let (aStart, bStart) = (Int(bitPattern: a), Int(bitPattern: b))
                    let apart = aStart + outer * 4 <= bStart || bStart + inner * 4 <= aStart
                    #expect(apart)
                }
                #expect((0..<outer).allSatisfy { a[$0] == 1 })
            }
        }
    }
}
