@testable import Kernels
import Randomness
import Testing

/// Dilated 3x3 convolutions by Winograd's algorithm on their sub-grids.
@Suite struct SubgridWinogradTests {
    /// Dilation 2 on an odd height (the second row sub-grid is a row short), dilation (3, 1)
    /// with whole sub-grids; forward output and weight gradient accumulate into what is there.
    @Test(arguments: [
        ConvGeometry(batch: 2, inChannels: 16, outChannels: 20, height: 7, width: 32, kernelHeight: 3, kernelWidth: 3,
                     padY: 2, padX: 2, dilationY: 2, dilationX: 2),
        ConvGeometry(batch: 3, inChannels: 17, outChannels: 16, height: 9, width: 16, kernelHeight: 3, kernelWidth: 3,
                     padY: 3, padX: 1, dilationY: 3, dilationX: 1),
    ], [1, 2])
    func forwardAndWeightGradientMatchTheReference(_ g: ConvGeometry, threads: Int) throws {
        let plan = try #require(SubgridWinogradPlan(g))
        var generator = SeededGenerator(seed: 6)
        let random = { (count: Int) in (0..<count).map { _ in generator.normal() } }
        let x = random(g.inputCount), w = random(g.weightCount), dy = random(g.outputCount)
        var y = [Float](repeating: 1, count: g.outputCount), dw = [Float](repeating: 1, count: g.weightCount)
        Parallelism.withThreads(threads) {
            subgridWinogradForward(x, w, &y, plan, accumulate: true)
            subgridWinogradBackwardWeight(x, dy, &dw, plan)
        }
        let (expectedY, expectedDw) = (naiveConv2d(x, w, g).map { $0 + 1 }, naiveConv2dWeightGradient(x, dy, g).map { $0 + 1 })
        let yScale = max(1, expectedY.map { abs($0) }.max() ?? 0), dwScale = max(1, expectedDw.map { abs($0) }.max() ?? 0)
        #expect((zip(y, expectedY).map { abs($0 - $1) }.max() ?? .nan) / yScale < 1e-5, "\(g) forward")
        #expect((zip(dw, expectedDw).map { abs($0 - $1) }.max() ?? .nan) / dwScale < 1e-5, "\(g) weight gradient")
    }

    /// Only dilated, size-keeping, ungrouped 3x3 convolutions whose sub-grids fill whole vectors
    /// of Winograd tiles.
    @Test func theSubgridsMustFillWholeVectorsOfTiles() {
        let g = ConvGeometry(batch: 2, inChannels: 16, outChannels: 20, height: 7, width: 32, kernelHeight: 3, kernelWidth: 3,
                             padY: 2, padX: 2, dilationY: 2, dilationX: 2)
        var undilated = g, narrow = g, unpadded = g, grouped = g
        (undilated.dilationY, undilated.dilationX, undilated.padY, undilated.padX) = (1, 1, 1, 1)
        (narrow.dilationX, narrow.padX) = (3, 3)
        unpadded.padX = 1
        grouped.groups = 2
        #expect(SubgridWinogradPlan(g) != nil)
        for other in [undilated, narrow, unpadded, grouped] { #expect(SubgridWinogradPlan(other) == nil, "\(other)") }
    }
}
