import Autodiff
import Foundation
import Randomness
import Testing
@testable import SMASH

/// The budget loop always yields valid architectures, and sampling is a function of the seed.
@Suite struct SamplerTests {
    @Test(arguments: SearchSpace.presetNames)
    func sampledArchitecturesAreValid(name: String) throws {
        let space = try SearchSpace.preset(named: name)
        let sampler = try ArchitectureSampler(space: space)
        var generator = SeededGenerator(seed: 11)
        let count = name.hasSuffix("cifar") ? 500 : 2000
        var ops = 0
        for _ in 0..<count {
            let architecture = sampler.sample(using: &generator)
            try architecture.validate()
            ops += architecture.opCount
        }
        #expect(ops > count * space.skeleton.blockCount, "too few ops per block: \(Double(ops) / Double(count))")
    }

    @Test(arguments: SearchSpace.presetNames)
    func annealedSamplesAreValidAndSmaller(name: String) throws {
        let space = try SearchSpace.preset(named: name)
        let sampler = try ArchitectureSampler(space: space)
        let annealing = Annealing(budget: true, kernel: true)
        var generator = SeededGenerator(seed: 3)
        var (early, late) = (0, 0)
        for index in 0..<300 {
            let start = sampler.sample(using: &generator, limits: annealing.limits(step: 0, totalSteps: 1000, space: space))
            let end = sampler.sample(using: &generator, limits: annealing.limits(step: 1000, totalSteps: 1000, space: space))
            try start.validate()
            try end.validate()
            early += start.encodingWidth
            late += end.encodingWidth
            if index == 0 {
                let smallest = space.skeleton.kernelSizes.min() ?? 1
                #expect(start.blocks.flatMap(\.ops).flatMap(\.convs).allSatisfy { $0.map { $0.kernel == Pair(smallest, smallest) } ?? true })
            }
        }
        #expect(early < late)
    }

    @Test func samplingIsSeeded() throws {
        let sampler = try ArchitectureSampler(space: .v2FashionMNIST)
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let first = (0..<20).map { _ in sampler.sample(using: &a).hash }
        #expect(first == (0..<20).map { _ in sampler.sample(using: &b).hash })
        #expect(first != (0..<20).map { _ in sampler.sample(using: &c).hash })
        #expect(Set(first).count == 20)
    }
}
