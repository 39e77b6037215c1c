import Autodiff
import Foundation
import Randomness

/// Draws the parts of one op the way the authors' budget loop does. The sampler builds ops from
/// these draws; the perturber redraws single parts with them.
struct OpSampler {
    let space: SearchSpace
    /// The largest kernel extent currently allowed (lowered while kernel sizes are annealed).
    let maxKernel: Int

    var skeleton: Skeleton { space.skeleton }

    /// A read count: uniform over the multiples of `step` up to the readable banks and the cap,
    /// then lowered to what `remainingSlices` allows. `nil` when not even `step` banks fit.
    func readCount(bankSize: Int, written: Int, cap: Int, remainingSlices: Int,
                   using generator: inout SeededGenerator) -> Int? {
        let step = skeleton.readStep(bankSize: bankSize)
        let affordable = remainingSlices * skeleton.depthCompression / bankSize / step * step
        let choices = Array(stride(from: step, through: min(written, cap), by: step))
        guard let drawn = generator.element(of: choices), affordable >= step else { return nil }
        return min(drawn, affordable)
    }

    /// `count` distinct readable banks, ascending.
    func reads(count: Int, written: Int, using generator: inout SeededGenerator) -> [Int] {
        Array(generator.permutation(written).prefix(count)).sorted()
    }

    /// G, in units: a multiple of the bank size up to k whose chunks fit in the block's banks,
    /// drawn by the space's width prior against the op's `readUnits` input units.
    func width(bankSize: Int, readUnits: Int, cap: Int, using generator: inout SeededGenerator) -> Int {
        let choices = stride(from: bankSize, through: skeleton.maxUnits, by: bankSize).filter { $0 / bankSize <= cap }
        let weights = choices.map { g -> Double in
            space.widthPrior == .uniform ? 1 : 1 / (0.01 + 10 * Double(abs(g - readUnits)))
        }
        return choices[generator.weightedIndex(weights)]
    }

    /// Write targets for an op of `width` units: at least one bank per chunk, more with
    /// probability decaying by e per extra write, drawn from the written banks and the first
    /// empty ones; chosen empty banks are renumbered to the lowest empty indices.
    func writes(width: Int, bankSize: Int, written: Int, cap: Int, using generator: inout SeededGenerator) -> [Int] {
        let chunks = width / bankSize
        let candidates = written + min(chunks, cap - written)
        let most = min(max(written / 2, chunks), candidates)
        let counts = Array(chunks...max(chunks, most))
        let count = counts[generator.weightedIndex(counts.map { exp(Double(chunks - $0)) })]
        var chosen = Array(generator.permutation(candidates).prefix(count))
        var next = written
        for (position, bank) in chosen.enumerated() where bank >= written {
            chosen[position] = next
            next += 1
        }
        return chosen
    }

    /// The op's convolutions: one for v1; for v2 a pattern drawn by weight, inactive ones `nil`.
    func convs(using generator: inout SeededGenerator) -> [ConvSpec?] {
        let active = skeleton.structure == .single ? [true] : pattern(using: &generator)
        return active.map { $0 ? conv(using: &generator) : nil }
    }

    /// A pattern of active convolutions, by the space's weights.
    func pattern(using generator: inout SeededGenerator) -> [Bool] {
        space.opConfigurations[generator.weightedIndex(space.opConfigurations.map(\.weight))].active
    }

    /// One convolution: kernel per axis uniform over the allowed sizes, dilation per axis uniform
    /// over those keeping the extent, groups uniform over the choices.
    func conv(using generator: inout SeededGenerator) -> ConvSpec {
        let (ky, kx) = (kernel(using: &generator), kernel(using: &generator))
        return ConvSpec(kernel: Pair(ky, kx), dilation: Pair(dilation(kernel: ky, using: &generator), dilation(kernel: kx, using: &generator)),
                        groups: generator.element(of: skeleton.groupChoices) ?? 1)
    }

    /// A kernel size no larger than `maxKernel` (the smallest size when none is).
    func kernel(using generator: inout SeededGenerator) -> Int {
        let sizes = skeleton.kernelSizes.filter { $0 <= maxKernel }
        return generator.element(of: sizes) ?? skeleton.kernelSizes.min() ?? 1
    }

    /// A dilation that keeps `kernel` within the maximum extent.
    func dilation(kernel: Int, using generator: inout SeededGenerator) -> Int {
        generator.element(of: skeleton.dilations(kernel: kernel)) ?? 1
    }
}

extension SeededGenerator {
    /// An index drawn with probability proportional to `weights` (all non-negative, not all zero;
    /// otherwise index 0).
    mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var remaining = uniformDouble() * total
        for (index, weight) in weights.enumerated() {
            remaining -= weight
            if remaining < 0 { return index }
        }
        return weights.count - 1
    }
}
