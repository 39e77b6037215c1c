import Artifacts
import DatasetIO
import Foundation
import Randomness
import SMASH
import Testing
@testable import Pipeline

/// The SMASH stages chained as the paper's experiments chain them, on the tiny `blocks` dataset:
/// train, sample, score, select, perturb (corruption and search), retrain, correlate.
@Suite struct SmashStagesTests {
    static let spec = """
        pipeline: smash
        dataset: blocks
        stages:
          smash:
            run: train-smash
            with: { epochs: 4, batchSize: 20, validation: 40, hyperNet: crippled, validationBatches: 0 }
          sample:
            run: sample
            needs: smash
            with: { count: 6, input: [1, 8, 8, 4] }
          score:
            run: score
            needs: [smash, sample]
          pick:
            run: select
            needs: score
            with: { mode: spread, count: 3 }
          corrupt:
            run: perturb
            needs: [smash, pick]
            with: { corruptions: [shuffled-dilations, other-architecture] }
          search:
            run: perturb
            needs: smash
            with: { mode: search, randomCount: 3, perturbations: 2, markovSteps: 2 }
          retrain:
            run: retrain
            needs: pick
            with: { epochs: 3, batchSize: 20, validation: 40, seeds: [0, 1], augment: false, learningRate: 0.05 }
          correlation:
            run: correlate
            needs: [score, retrain]
            with: { x: score.smash_error, y: retrain.test_error }
          summary:
            run: compare
            needs: [score, retrain]
            with: { metrics: [test_error_mean|error_mean, architectures] }
        """

    @Test func runsTheChainAndReusesEveryItem() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("smash.yaml", Self.spec)
        let first = try scratch.run(file)
        let smash = try #require(first.results["smash"])
        #expect(smash.metrics["epochs"] == 4)
        #expect(smash.table("history")?.items == ["1", "2", "3", "4"])
        let score = try #require(first.results["score"])
        #expect(score.metrics["architectures"] == 6)
        #expect(score.metrics["images"] == 40)
        #expect(score.table("scores")?.rowCount == 6)
        #expect(first.record.stage("score")?.items.first?.computed == 6)
        let picked = try #require(first.results["pick"]?.table("selected"))
        #expect(picked.numbers("rank") == [1, 4, 6], "a spread of 3 over 6 ranks keeps the best, a middle one and the worst")
        let corrupt = try #require(first.results["corrupt"])
        #expect(corrupt.metrics["architectures"] == 3)
        #expect(corrupt.metrics["shuffled-dilations_error_mean"] != nil && corrupt.metrics["other-architecture_error_mean"] != nil)
        #expect(corrupt.metrics["shuffled-reads_error_mean"] == nil)
        let search = try #require(first.results["search"])
        #expect(search.metrics["scored"] == 7)
        #expect((search.metrics["best_error"] ?? 1) <= (search.metrics["random_best_error"] ?? 0))
        let retrain = try #require(first.results["retrain"])
        #expect(retrain.metrics["runs"] == 6)
        #expect(retrain.table("retrain")?.items == picked.items)
        #expect(first.results["correlation"]?.metrics["pairs"] == 3)
        let comparison = try #require(first.results["summary"]?.table("comparison"))
        #expect(comparison.items == ["score", "retrain"])
        #expect(comparison.numbers("test_error_mean") == [score.metrics["error_mean"], retrain.metrics["test_error_mean"]].compactMap { $0 })
        #expect(comparison.numbers("architectures") == [6, 3])
        let unknown = try scratch.write("unknown.yaml", Self.spec.replacingOccurrences(of: "[test_error_mean|error_mean, architectures]",
                                                                                        with: "[no_such_metric]"))
        #expect(throws: PipelineError.self) { try scratch.run(unknown) }

        let second = try scratch.run(file)
        #expect(second.record.stages.allSatisfy { $0.cache == .hit })
        #expect(second.results["correlation"]?.metrics == first.results["correlation"]?.metrics)

        let grown = try scratch.run(file, overrides: ["stages.sample.with.count=8"])
        let items = try #require(grown.record.stage("score")?.items.first)
        #expect(items.hits == 6 && items.computed == 2, "growing the sample scores only the new architectures")
    }

    @Test func scoresOfSeveralReplicasAreAveraged() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("replicas.yaml", """
            pipeline: replicas
            dataset: blocks
            stages:
              one:
                run: train-smash
                with: { epochs: 1, batchSize: 20, validation: 40, hyperNet: crippled, validationBatches: 1 }
              two:
                run: train-smash
                with: { epochs: 1, batchSize: 20, validation: 40, hyperNet: crippled, validationBatches: 1, replica: 1 }
              sample:
                run: sample
                with: { count: 4, input: [1, 8, 8, 4] }
              both:
                run: score
                needs: [one, two, sample]
              alone:
                run: score
                needs: [two, sample]
            """)
        let outcome = try scratch.run(file)
        #expect(outcome.results["one"]?.metrics["train_loss"] != outcome.results["two"]?.metrics["train_loss"],
                "a replica trains another network")
        let both = try #require(outcome.results["both"]?.table("scores"))
        let one = try #require(both.numbers("smash_error_one")), two = try #require(both.numbers("smash_error_two"))
        let mean = try #require(both.numbers("smash_error"))
        for index in mean.indices { #expect(abs(mean[index] - (one[index] + two[index]) / 2) < 1e-12) }
        #expect(outcome.results["alone"]?.table("scores")?.numbers("smash_error") == two)
        #expect(outcome.results["both"]?.metrics["networks"] == 2)
    }

    @Test func aSmashCheckpointRoundTripsThroughHDF5() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        var generator = SeededGenerator(seed: 1)
        let space = SearchSpace.v1FashionMNIST
        let network = try SmashNetwork(skeleton: space.skeleton, hyperNet: .crippled, inputChannels: 1, classes: 4, using: &generator)
        let images = (0 ..< 20 * 64).map { _ in generator.uniform() }
        let dataset = try Dataset(images: images, labels: (0..<20).map { Int32($0 % 4) }, shape: ImageShape(channels: 1, height: 8, width: 8),
                              classNames: ["a", "b", "c", "d"], source: "noise")
        let trainer = try SmashTrainer(network: network, space: space, options: SmashTrainingOptions(epochs: 2),
                                       iterator: try BatchIterator(dataset: dataset, batchSize: 10, seed: 3), validation: nil)
        _ = try trainer.runEpoch()
        let checkpoint = trainer.checkpoint()
        let file = try HDF5File.create(at: scratch.folder.appendingPathComponent("checkpoint.h5"))
        try checkpoint.write(to: file.root)
        try file.close()
        let read = try SmashCheckpoint.read(from: try HDF5File.open(at: scratch.folder.appendingPathComponent("checkpoint.h5")).root)
        #expect(read == checkpoint)
        #expect(read.step == 2 && read.history.count == 1)
    }

    @Test func wrongNeedsAreReportedAtTheStage() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("smash.yaml", Self.spec)
        for (original, replacement, fragment) in [
            ("needs: [smash, sample]", "needs: [sample]", "train-smash"),
            ("needs: score\n", "needs: sample\n", "kind score"),
            ("needs: pick\n", "needs: smash\n", "architecture source"),
            ("needs: [smash, pick]", "needs: [pick]", "train-smash"),
        ] {
            let file = try scratch.write("wrong.yaml", Self.spec.replacingOccurrences(of: original, with: replacement))
            do {
                _ = try scratch.spec(file)
                Issue.record("\(replacement) was accepted")
            } catch let error as PipelineError {
                #expect(error.description.contains(fragment), "\(replacement): \(error.description)")
                #expect(error.description.contains("wrong.yaml:"), "\(replacement): \(error.description)")
            }
        }
        #expect(throws: PipelineError.self) { try scratch.spec(file, overrides: ["stages.corrupt.with.corruptions=[]"]) }
    }

    @Test func selectionModesPickTheirRanks() {
        #expect(SelectionMode.best.ranks(count: 5, keep: 3, step: 2) == [0])
        #expect(SelectionMode.top.ranks(count: 5, keep: 3, step: 2) == [0, 1, 2])
        #expect(SelectionMode.top.ranks(count: 2, keep: 3, step: 2) == [0, 1])
        #expect(SelectionMode.every.ranks(count: 5, keep: 3, step: 2) == [0, 2, 4])
        #expect(SelectionMode.spread.ranks(count: 5, keep: 3, step: 2) == [0, 2, 4])
        #expect(SelectionMode.spread.ranks(count: 10, keep: 4, step: 2) == [0, 3, 6, 9])
        #expect(SelectionMode.spread.ranks(count: 3, keep: 10, step: 2) == [0, 1, 2])
        #expect(SelectionMode.spread.ranks(count: 1, keep: 4, step: 2) == [0])
    }
}

/// `smash architecture` renders the architectures of a stage artifact and of JSON files.
@Suite struct ArchitectureCommandTests {
    @Test func rendersArtifactsAndFilesAndRejectsBadOnes() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("pool.yaml", """
            pipeline: pool
            stages:
              pool:
                run: sample
                with: { count: 3 }
            """)
        let environment = ["SMASH_CACHE": ".smash/cache"]
        let run = try runSmash(["run", "pool.yaml", "--catalog", "Datasets", "--quiet"], in: scratch.folder, environment: environment)
        #expect(run.status == 0, "\(run.standardError)")
        let key = try #require(try ResultSet(path: scratch.folder.appendingPathComponent("Results/pool/latest").path).record.stage("pool")?.key)
        let artifact = ".smash/cache/sample/\(key).h5"

        let text = try runSmash(["architecture", artifact], in: scratch.folder, environment: environment)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.components(separatedBy: "architecture ").count - 1 == 3)
        #expect(text.standardOutput.contains("parameters"))
        let json = try runSmash(["architecture", artifact, "--format", "json"], in: scratch.folder, environment: environment)
        let first = try #require(json.standardOutput.split(separator: "\n").first)
        try scratch.write("one.json", String(first))
        let id = try #require(text.standardOutput.split(separator: "\n").first?.split(separator: " ").dropFirst().first?.dropLast())
        let dot = try runSmash(["architecture", "one.json", "--format", "dot", "--id", String(id.prefix(6))], in: scratch.folder,
                               environment: environment)
        #expect(dot.status == 0, "\(dot.standardError)")
        #expect(dot.standardOutput.hasPrefix("digraph"))

        try scratch.write("bad.json", String(first).replacingOccurrences(of: "\"width\":", with: "\"wdth\":"))
        let bad = try runSmash(["architecture", "bad.json"], in: scratch.folder, environment: environment)
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("bad.json") && bad.standardError.contains("width"), "\(bad.standardError)")
        let missing = try runSmash(["architecture", artifact, "--id", "zzzz"], in: scratch.folder, environment: environment)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("no architecture id starts with 'zzzz'"))
    }
}
