import Autodiff
import Randomness
import Testing
@testable import SMASH

/// Perturbations, the App. C search, and the architecture gradient.
@Suite struct PerturbationTests {
    @Test(arguments: SearchSpace.presetNames)
    func perturbationsStayValid(name: String) throws {
        let space = try SearchSpace.preset(named: name)
        let sampler = try ArchitectureSampler(space: space)
        let perturber = try Perturber(space: space, probability: 0.2)
        var generator = SeededGenerator(seed: 17)
        var changed = 0
        for _ in 0..<(name.hasSuffix("cifar") ? 40 : 200) {
            var architecture = sampler.sample(using: &generator)
            for _ in 0..<3 {
                let perturbed = perturber.perturb(architecture, using: &generator)
                try perturbed.validate()
                #expect(perturbed.blocks.map(\.ops.count) == architecture.blocks.map(\.ops.count))
                #expect(perturbed.blocks.map(\.bankSize) == architecture.blocks.map(\.bankSize))
                if perturbed != architecture { changed += 1 }
                architecture = perturbed
            }
        }
        #expect(changed > 0)
    }

    @Test func probabilityControlsTheChange() throws {
        let sampler = try ArchitectureSampler(space: .v2FashionMNIST)
        var generator = SeededGenerator(seed: 2)
        let architecture = sampler.sample(using: &generator)
        #expect(try Perturber(space: .v2FashionMNIST, probability: 0).perturb(architecture, using: &generator) == architecture)
        let small = try Perturber(space: .v2FashionMNIST, probability: 0.05), large = try Perturber(space: .v2FashionMNIST, probability: 0.5)
        func differences(_ perturber: Perturber) -> Int {
            (0..<20).reduce(0) { count, _ in
                let perturbed = perturber.perturb(architecture, using: &generator)
                return count + zip(perturbed.blocks.flatMap(\.ops), architecture.blocks.flatMap(\.ops)).filter { $0 != $1 }.count
            }
        }
        #expect(differences(small) < differences(large))
        #expect(throws: SMASHError.self) { try Perturber(space: .v2FashionMNIST, probability: 1.5) }
        #expect(try Perturber(space: .v2FashionMNIST).perturb(Tiny.architecture, using: &generator) == Tiny.architecture)
    }

    /// The schedule of App. C with a known score (fewer encoding columns is better): the random
    /// phase, perturbations of the fixed best random base, and a chain that only accepts
    /// improvements.
    @Test func searchFollowsTheAppendixSchedule() throws {
        let options = SearchOptions(randomCount: 30, perturbationCount: 10, markovSteps: 25, probability: 0.1, seed: 3)
        let search = try ArchitectureSearch(space: .v1FashionMNIST, options: options)
        let entries = try search.run { architecture in
            SmashScore(error: Double(architecture.encodingWidth) / 100, loss: Double(architecture.opCount), count: 1)
        }
        #expect(entries.map(\.phase) == Array(repeating: .random, count: 30) + Array(repeating: .perturbation, count: 10)
            + Array(repeating: .markov, count: 25))
        let randomBest = try #require(ArchitectureSearch.best(of: Array(entries.prefix(30))))
        let perturbations = entries[30..<40].map(\.architecture)
        #expect(perturbations.allSatisfy { $0.blocks.map(\.ops.count) == randomBest.architecture.blocks.map(\.ops.count) })
        var base = try #require(ArchitectureSearch.best(of: Array(entries.prefix(40)))).score
        for entry in entries.suffix(25) {
            #expect(entry.accepted == ArchitectureSearch.isBetter(entry.score, than: base))
            if entry.accepted { base = entry.score }
        }
        #expect(try #require(ArchitectureSearch.best(of: entries)).score.error <= randomBest.score.error)
        #expect(throws: SMASHError.self) { try ArchitectureSearch(space: .v1FashionMNIST, options: SearchOptions(randomCount: 0)) }
    }

    /// dE/dc predicts the loss change of a small encoding change to first order, and guides the
    /// choice among candidates.
    @Test func architectureGradientPredictsChanges() throws {
        let network = try Tiny.network(seed: 3)
        let scorer = try SmashScorer(network: network, batchSize: 4)
        let validation = try TrainingTests.synthetic(count: 12, seed: 5)
        let gradient = ArchitectureGradient(scorer: scorer)
        let architecture = Tiny.architecture
        let g = try gradient.gradient(of: architecture, on: validation, seed: 1)
        #expect(g.shape == (try network.encoder.encode(architecture)).shape)
        #expect(g.values.contains { $0 != 0 } && g.values.allSatisfy { $0.isFinite })
        #expect(network.parameters.allSatisfy { !$0.tensor.hasGrad })
        // Flip one dilation: the encoding changes in one op's columns; the layout stays.
        var candidate = architecture
        candidate.blocks[1].ops[0].convs[0]?.dilation = 2
        let predicted = try #require(try gradient.predictedChange(g, from: architecture, to: candidate))
        #expect(predicted != 0)
        var narrower = architecture
        narrower.blocks[1].ops[1].reads = [0]
        narrower.blocks[1].ops[1].width = 2
        narrower.blocks[1].ops[1].writes = [2]
        try narrower.validate()
        #expect(try gradient.predictedChange(g, from: architecture, to: narrower) == nil)
        let chosen = try gradient.choose(from: [narrower, candidate], base: architecture, gradient: g)
        #expect(chosen == candidate)
        #expect(try gradient.choose(from: [], base: architecture, gradient: g) == architecture)
    }

    /// The Markov chain guided by dE/dc runs end to end on the tiny network.
    @Test func gradientGuidedSearchRuns() throws {
        let network = try Tiny.network(seed: 4)
        let scorer = try SmashScorer(network: network, batchSize: 6)
        let validation = try TrainingTests.synthetic(count: 12, seed: 6)
        let options = SearchOptions(randomCount: 3, perturbationCount: 2, markovSteps: 3, probability: 0.3, guidance: .gradient(candidates: 4),
                                    seed: 2)
        let search = try ArchitectureSearch(space: Tiny.space, options: options)
        let propose = ArchitectureGradient(scorer: scorer).proposer(on: validation, seed: 0)
        let entries = try search.run(score: { try scorer.score($0, on: validation, seed: 0) }, propose: propose)
        #expect(entries.count == 8 && entries.suffix(3).allSatisfy { $0.phase == .markov })
        #expect(throws: SMASHError.self) {
            try ArchitectureSearch(space: Tiny.space, options: SearchOptions(guidance: .gradient(candidates: 0)))
        }
    }
}
