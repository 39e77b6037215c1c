import Foundation
import Randomness

/// Temporary limits on sampling, used to anneal the search space during SMASH training.
public struct SamplingLimits: Codable, Sendable, Hashable {
    /// Replaces the space's upper budget fraction when set.
    public var maxBudgetFraction: Double?
    /// The largest kernel size allowed when set.
    public var maxKernel: Int?

    public init(maxBudgetFraction: Double? = nil, maxKernel: Int? = nil) {
        self.maxBudgetFraction = maxBudgetFraction
        self.maxKernel = maxKernel
    }

    /// No limits: the space as defined.
    public static let none = SamplingLimits()
}

/// The authors' code's annealing over the first half of SMASH training (off by default, as the
/// paper does not describe it): the budget ceiling rises linearly from 0.5 to the space's maximum
/// fraction, and the largest kernel grows from the smallest size to the largest.
public struct Annealing: Codable, Sendable, Hashable {
    /// Anneal the upper budget fraction.
    public var budget: Bool
    /// Anneal the largest kernel size.
    public var kernel: Bool

    public init(budget: Bool = false, kernel: Bool = false) {
        self.budget = budget
        self.kernel = kernel
    }

    /// The limits at `step` of `totalSteps`.
    public func limits(step: Int, totalSteps: Int, space: SearchSpace) -> SamplingLimits {
        let progress = min(Double(step) / max(0.5 * Double(totalSteps), 1), 1)
        var limits = SamplingLimits.none
        if budget {
            let start = max(min(0.5, space.maxBudgetFraction), space.minBudgetFraction)
            limits.maxBudgetFraction = start + (space.maxBudgetFraction - start) * progress
        }
        if kernel, let smallest = space.skeleton.kernelSizes.min(), let largest = space.skeleton.kernelSizes.max() {
            limits.maxKernel = smallest + Int(Double(largest - smallest) * progress)
        }
        return limits
    }
}

/// Samples architectures block by block with the authors' budget loop (REFERENCE-NOTES §3).
///
/// Per block: a budget fraction `f ~ U(min, max)` gives `⌊f·budget / (N·D)⌋` encoding columns;
/// a bank size is drawn from those the block's input can hold; then ops are added while the
/// remaining columns pay for the cheapest op. Each op draws a read count (multiples of
/// D/gcd(bank size, D), uniform, then capped by the budget) and distinct readable banks, a width
/// G by the space's prior, writes (at least one per output chunk, more with probability decaying
/// by e, new banks always the lowest empty ones), and its convolutions. Every result is valid.
public struct ArchitectureSampler: Sendable {
    public let space: SearchSpace

    /// A sampler for a validated space.
    public init(space: SearchSpace) throws(SMASHError) {
        try space.validate()
        self.space = space
    }

    /// One architecture drawn from `generator`.
    public func sample(using generator: inout SeededGenerator, limits: SamplingLimits = .none) -> Architecture {
        let ops = OpSampler(space: space, maxKernel: limits.maxKernel ?? space.skeleton.kernelSizes.max() ?? 1)
        let blocks = (0..<space.skeleton.blockCount).map { block in
            sampleBlock(block, ops: ops, limits: limits, using: &generator)
        }
        return Architecture(skeleton: space.skeleton, blocks: blocks)
    }

    /// The encoding columns block `block` of `space` may use with budget fraction `fraction`.
    public static func budgetColumns(space: SearchSpace, block: Int, fraction: Double) -> Int {
        Int(fraction * Double(space.blockBudgetChannels[block]) / Double(space.skeleton.columnChannels))
    }

    private func sampleBlock(_ block: Int, ops sampler: OpSampler, limits: SamplingLimits,
                             using generator: inout SeededGenerator) -> ArchitectureBlock {
        let skeleton = space.skeleton
        let high = max(min(limits.maxBudgetFraction ?? space.maxBudgetFraction, 1), space.minBudgetFraction)
        let fraction = space.minBudgetFraction + (high - space.minBudgetFraction) * generator.uniformDouble()
        var remaining = ArchitectureSampler.budgetColumns(space: space, block: block, fraction: fraction)
        let usable = skeleton.usableBankSizes(block: block)
        let bankSize = generator.element(of: usable) ?? skeleton.bankSizes[0]
        let cap = skeleton.bankCap(block: block, bankSize: bankSize)
        var written = skeleton.inputBanks(block: block, bankSize: bankSize)
        var ops: [Op] = []
        while let count = sampler.readCount(bankSize: bankSize, written: written, cap: cap, remainingSlices: remaining,
                                            using: &generator) {
            let reads = sampler.reads(count: count, written: written, using: &generator)
            remaining -= count * bankSize / skeleton.depthCompression
            let width = sampler.width(bankSize: bankSize, readUnits: count * bankSize, cap: cap, using: &generator)
            let writes = sampler.writes(width: width, bankSize: bankSize, written: written, cap: cap, using: &generator)
            written = max(written, (writes.max() ?? 0) + 1)
            ops.append(Op(reads: reads, writes: writes, width: width, convs: sampler.convs(using: &generator)))
        }
        return ArchitectureBlock(bankSize: bankSize, ops: ops)
    }
}
