import Autodiff
import DatasetIO
import Foundation
import Randomness
@testable import SMASH

/// A tiny search space for exact checks: two blocks, N = 2, Nmax = 8, D = 2, banks of 1 or 2
/// units, one 3x3 convolution with dilation 1–2 and 1 or 2 groups, bottleneck ratio 2.
enum Tiny {
    static let skeleton = Skeleton(structure: .single, unit: 2, maxWidth: 8, depthCompression: 2, bottleneck: .fixed,
                                   bottleneckRatio: 2, maxBottleneckChannels: nil, bankSizes: [1, 2], kernelSizes: [3],
                                   maxDilation: 2, maxKernelExtent: 5, groupChoices: [1, 2], stemKernel: 3,
                                   blockInputChannels: [4, 8], blockMaxChannels: [16, 16])

    static let space = SearchSpace(name: "tiny", skeleton: skeleton, blockBudgetChannels: [24, 32], minBudgetFraction: 0.3,
                                   maxBudgetFraction: 1, widthPrior: .uniform,
                                   opConfigurations: [OpConfiguration(active: [true, false, false, false], weight: 1)])

    static func conv(_ dilation: Pair, groups: Int) -> ConvSpec {
        ConvSpec(kernel: 3, dilation: dilation, groups: groups)
    }

    /// A hand-made architecture: block 0 has 2-channel banks (2 input banks), block 1 4-channel
    /// banks (2 input banks).
    static let architecture = Architecture(skeleton: skeleton, blocks: [
        ArchitectureBlock(bankSize: 1, ops: [
            Op(reads: [0, 1], writes: [2], width: 1, convs: [conv(Pair(1, 2), groups: 1)]),
            Op(reads: [1, 2], writes: [0, 3], width: 2, convs: [conv(2, groups: 2)]),
        ]),
        ArchitectureBlock(bankSize: 2, ops: [
            Op(reads: [0], writes: [1], width: 2, convs: [conv(1, groups: 2)]),
            Op(reads: [0, 1], writes: [2, 0], width: 4, convs: [conv(Pair(2, 1), groups: 1)]),
        ]),
    ])

    /// A tiny HyperNet: dense blocks of 1 and 1 layers, growth 3.
    static let hyperNet = HyperNetConfiguration(stemChannels: 2, blockLayers: [1, 1], growth: 3)

    static func network(seed: UInt64 = 1, hyperNet: HyperNetConfiguration = Tiny.hyperNet) throws -> SmashNetwork {
        var generator = SeededGenerator(seed: seed)
        return try SmashNetwork(skeleton: skeleton, hyperNet: hyperNet, inputChannels: 1, classes: 3, using: &generator)
    }

    /// Random images [count, 1, side, side] and labels below 3.
    static func batch(_ count: Int, side: Int = 8, seed: UInt64 = 2) -> (Tensor, [Int32]) {
        var generator = SeededGenerator(seed: seed)
        let images = Tensor.randomNormal(shape: [count, 1, side, side], using: &generator)
        return (images, (0..<count).map { _ in Int32(generator.int(below: 3)) })
    }
}

/// Fashion-MNIST from the repository's catalog, when installed (read once).
enum FashionMNIST {
    static let catalog = DatasetCatalog(folder: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Datasets").path)

    static var present: Bool { (try? catalog.descriptor(named: "fashion-mnist").locate()) != nil }

    /// Train and validation splits: `trainPerClass` and `validationPerClass` images per class of
    /// the paper-style 55k/5k split, normalised.
    static func splits(trainPerClass: Int, validationPerClass: Int) throws -> DataSplits {
        try loaded.get().splits(SplitOptions(validationCount: 5000, seed: 0, trainPerClass: trainPerClass,
                                             validationPerClass: validationPerClass))
    }

    static let loaded = Result { () throws(DatasetError) -> LoadedDataset in
        try catalog.descriptor(named: "fashion-mnist").resolve().load()
    }
}

/// Central finite differences of a scalar function of one tensor's elements against its analytic
/// gradient, at the `count` elements with the largest analytic gradient (where Float32 rounding of
/// the loss matters least); returns the worst error relative to the larger of the two values and
/// a tenth of the largest gradient.
func worstGradientError(of tensor: Tensor, analytic: [Float], count: Int = 6, step: Float = 1e-2,
                        _ loss: () throws -> Double) rethrows -> Double {
    let probes = analytic.indices.sorted { abs(analytic[$0]) > abs(analytic[$1]) }.prefix(count)
    let floor = 0.1 * Double(abs(analytic[probes.first ?? 0]))
    var worst = 0.0
    for i in probes {
        let saved = tensor.data[i]
        tensor.data[i] = saved + step
        let plus = try loss()
        tensor.data[i] = saved - step
        let minus = try loss()
        tensor.data[i] = saved
        let numeric = (plus - minus) / (2 * Double(step))
        worst = max(worst, abs(numeric - Double(analytic[i])) / max(floor, abs(numeric), abs(Double(analytic[i]))))
    }
    return worst
}
