import Autodiff
import Randomness

/// Random perturbations of an architecture for the search of paper App. C: every element of every
/// op — its reads, width, writes, op pattern, and each convolution's kernel size per axis,
/// dilation per axis and groups — is redrawn independently with probability `probability`,
/// with the samplers of the budget loop. Bank sizes and op counts stay; an element that a change
/// upstream made invalid (a read of a bank no longer written, a write leaving a gap, too few
/// writes for a new width, a dilation too large for a new kernel) is repaired or redrawn, so every
/// perturbation is valid.
public struct Perturber: Sendable {
    public let space: SearchSpace
    /// The chance that any one element is redrawn (5% in the paper).
    public let probability: Double

    public init(space: SearchSpace, probability: Double = 0.05) throws(SMASHError) {
        try space.validate()
        guard probability >= 0, probability <= 1 else {
            throw .invalidOption(name: "probability", found: "\(probability)", expected: "in [0, 1]")
        }
        self.space = space
        self.probability = probability
    }

    /// A perturbed copy of a valid `architecture` of this space (the architecture itself if it is
    /// not one).
    public func perturb(_ architecture: Architecture, using generator: inout SeededGenerator) -> Architecture {
        guard architecture.skeleton == space.skeleton, (try? architecture.validate()) != nil else { return architecture }
        let sampler = OpSampler(space: space, maxKernel: space.skeleton.kernelSizes.max() ?? 1)
        var result = architecture
        for index in result.blocks.indices {
            result.blocks[index] = perturb(block: result.blocks[index], index: index, sampler: sampler, using: &generator)
        }
        return (try? result.validate()) != nil ? result : architecture
    }

    private func perturb(block: ArchitectureBlock, index: Int, sampler: OpSampler,
                         using generator: inout SeededGenerator) -> ArchitectureBlock {
        let skeleton = space.skeleton
        let size = block.bankSize
        let cap = skeleton.bankCap(block: index, bankSize: size)
        var written = skeleton.inputBanks(block: index, bankSize: size)
        var remaining = ArchitectureSampler.budgetColumns(space: space, block: index, fraction: 1)
        var result = block
        for (position, original) in block.ops.enumerated() {
            var op = original
            if op.reads.contains(where: { $0 >= written }) || generator.bernoulli(probability) {
                let step = skeleton.readStep(bankSize: size)
                let count = sampler.readCount(bankSize: size, written: written, cap: cap,
                                              remainingSlices: max(remaining, step * size / skeleton.depthCompression), using: &generator) ?? step
                op.reads = sampler.reads(count: count, written: written, using: &generator)
            }
            remaining -= op.reads.count * size / skeleton.depthCompression
            if generator.bernoulli(probability) {
                op.width = sampler.width(bankSize: size, readUnits: op.reads.count * size, cap: cap, using: &generator)
            }
            if op.writes.count < op.width / size || generator.bernoulli(probability) {
                op.writes = sampler.writes(width: op.width, bankSize: size, written: written, cap: cap, using: &generator)
            } else {
                op.writes = renumbered(op.writes, written: written)
            }
            written = max(written, (op.writes.max() ?? 0) + 1)
            op.convs = perturb(convs: op.convs, sampler: sampler, using: &generator)
            result.ops[position] = op
        }
        return result
    }

    /// Writes to empty banks moved to the lowest empty banks, in order of appearance.
    private func renumbered(_ writes: [Int], written: Int) -> [Int] {
        var next = written
        return writes.map { bank in
            guard bank >= written else { return bank }
            defer { next += 1 }
            return next
        }
    }

    private func perturb(convs: [ConvSpec?], sampler: OpSampler, using generator: inout SeededGenerator) -> [ConvSpec?] {
        var convs = convs
        if space.skeleton.structure == .array, generator.bernoulli(probability) {
            let pattern = sampler.pattern(using: &generator)
            convs = pattern.enumerated().map { index, active in
                active ? (convs[index] ?? sampler.conv(using: &generator)) : nil
            }
        }
        return convs.map { conv -> ConvSpec? in
            guard var conv else { return nil }
            if generator.bernoulli(probability) { conv.kernel.y = sampler.kernel(using: &generator) }
            if generator.bernoulli(probability) { conv.kernel.x = sampler.kernel(using: &generator) }
            let allowedY = space.skeleton.dilations(kernel: conv.kernel.y), allowedX = space.skeleton.dilations(kernel: conv.kernel.x)
            if !allowedY.contains(conv.dilation.y) || generator.bernoulli(probability) {
                conv.dilation.y = sampler.dilation(kernel: conv.kernel.y, using: &generator)
            }
            if !allowedX.contains(conv.dilation.x) || generator.bernoulli(probability) {
                conv.dilation.x = sampler.dilation(kernel: conv.kernel.x, using: &generator)
            }
            if generator.bernoulli(probability) { conv.groups = generator.element(of: space.skeleton.groupChoices) ?? conv.groups }
            return conv
        }
    }
}
