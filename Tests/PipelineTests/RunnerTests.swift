import Artifacts
import Foundation
import Testing
@testable import Pipeline

@Suite struct RunnerTests {
    @Test func firstRunComputesEveryStageAndSecondRunNone() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let first = try scratch.run(file)
        #expect(first.record.stages.map(\.name) == ["summary", "centroid", "correlation"])
        #expect(first.record.stages.allSatisfy { $0.cache == .miss })
        #expect(first.record.stage("centroid")?.items.first?.computed == 9)

        let clock = ContinuousClock()
        var second: RunOutcome?
        let elapsed = try clock.measure { second = try scratch.run(file) }
        let again = try #require(second)
        #expect(again.record.stages.allSatisfy { $0.cache == .hit })
        #expect(elapsed < .seconds(1), "a fully cached run took \(elapsed)")
        #expect(again.results["correlation"] == first.results["correlation"])
        #expect(again.record.stage("centroid")?.items.map(\.namespace) == first.record.stage("centroid")?.items.map(\.namespace))
    }

    @Test func changingOneParameterRerunsThatStageAndItsDependentsAndStatusSaysWhy() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        _ = try scratch.run(file)
        let change = ["stages.centroid.with.evaluationPerClass=5"]

        let status = try scratch.status(file, overrides: change)
        #expect(status["summary"]?.state == .cached)
        #expect(status["centroid"]?.state == .stale)
        #expect(status["centroid"]?.reasons == ["stages.centroid.with.evaluationPerClass changed: 0 → 5"])
        #expect(status["correlation"]?.state == .stale)
        #expect(status["correlation"]?.reasons.first?.hasPrefix("upstream 'centroid' changed") == true)

        let rerun = try scratch.run(file, overrides: change)
        #expect(rerun.record.stage("summary")?.cache == .hit)
        #expect(rerun.record.stage("centroid")?.cache == .miss)
        #expect(rerun.record.stage("correlation")?.cache == .miss)
        #expect(try scratch.status(file, overrides: change).values.allSatisfy { $0.state == .cached })
    }

    @Test func changingALeafParameterRerunsOnlyTheLeaf() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        _ = try scratch.run(file)
        let rerun = try scratch.run(file, overrides: ["stages.correlation.with.resamples=60"])
        #expect(rerun.record.stages.map(\.cache) == [.hit, .hit, .miss])
    }

    @Test func growingTheSubsetCountComputesOnlyTheNewItems() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let first = try scratch.run(file)
        let grown = try scratch.run(file, overrides: ["stages.centroid.with.subsets=12"])
        let items = try #require(grown.record.stage("centroid")?.items.first)
        #expect(grown.record.stage("centroid")?.cache == .miss)
        #expect(items.hits == 9 && items.computed == 3)
        #expect(items.namespace == first.record.stage("centroid")?.items.first?.namespace)
        let firstAccuracies = try #require(first.results["centroid"]?.table("subsets")?.numbers("accuracy"))
        let grownAccuracies = try #require(grown.results["centroid"]?.table("subsets")?.numbers("accuracy"))
        #expect(Array(grownAccuracies.prefix(9)) == firstAccuracies)
    }

    @Test func forceRecomputesTheStageAndItsDependents() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let first = try scratch.run(file)
        let forced = try scratch.run(file, options: RunOptions(force: ["centroid"]))
        #expect(forced.record.stages.map(\.cache) == [.hit, .forced, .forced])
        #expect(forced.record.stage("centroid")?.items.first?.computed == 9)
        #expect(forced.results["centroid"] == first.results["centroid"])
    }

    @Test func untilRunsOnlyTheStageAndWhatItNeeds() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let partial = try scratch.run(file, options: RunOptions(until: "centroid"))
        #expect(partial.record.stages.map(\.name) == ["centroid"])
        #expect(throws: PipelineError.unknownStage(SourceLocation(source: "--until centroids"), path: "--until",
                                                   name: "centroids", suggestion: "centroid")) {
            try scratch.run(file, options: RunOptions(until: "centroids"))
        }
    }

    @Test func aFailingStageStopsTheRunNamingItAndKeepsFinishedStagesCached() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("failing.yaml", """
            pipeline: failing
            dataset: blocks
            stages:
              summary: { run: dataset-summary }
              broken: { run: test-failing, needs: [summary] }
              after: { run: test-constant, needs: [broken] }
            """)
        #expect(throws: PipelineError.stageFailed(stage: "broken", kind: "test-failing", reason: "the test stage was told to fail")) {
            try scratch.run(file)
        }
        let status = try scratch.status(file)
        #expect(status["summary"]?.state == .cached)
        #expect(status["broken"]?.state == .stale)
        #expect(status["broken"]?.notes == [])
        let leftovers = try scratch.workspace.store.status().filter { $0.kind == "test-failing" }
        #expect(leftovers.isEmpty, "an abandoned writer leaves no file")
        #expect(!FileManager.default.fileExists(atPath: scratch.workspace.results(of: "failing").path))
        let fixed = try scratch.run(file, overrides: ["stages.broken.with.fail=false"])
        #expect(fixed.record.stages.map(\.cache) == [.hit, .miss, .miss])
    }

    @Test func aCorruptArtifactIsNotServedAndIsRecomputed() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("curve.yaml", curvePipeline)
        let first = try scratch.run(file)
        let key = try #require(first.record.stage("summary")?.key)
        let url = try scratch.workspace.store.url(kind: "dataset-summary", key: key)
        try Data("not an HDF5 file".utf8).write(to: url)

        let status = try scratch.status(file)
        #expect(status["summary"]?.state == .stale)
        #expect(status["summary"]?.reasons.first?.contains("is corrupt") == true)
        let rerun = try scratch.run(file)
        #expect(rerun.record.stage("summary")?.cache == .miss)
        #expect(rerun.results["summary"] == first.results["summary"])
    }

    @Test func aStoppedLongStageResumesFromItsCheckpoint() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let stop = try scratch.write("stop", "")
        let file = try scratch.write("long.yaml", """
            pipeline: long
            stages:
              long: { run: test-resumable, with: { stopFile: "\(stop)" } }
            """)
        #expect(throws: PipelineError.stageFailed(stage: "long", kind: "test-resumable", reason: "stopped after step 3")) {
            try scratch.run(file)
        }
        #expect(try scratch.status(file)["long"]?.notes == ["a checkpoint of an interrupted run will be resumed"])
        let resumed = try scratch.run(file)
        #expect(resumed.results["long"]?.metrics == ["steps": 6, "resumed_from": 3])
        let key = try #require(resumed.record.stage("long")?.key)
        let folder = scratch.workspace.checkpointFolder(kind: "test-resumable", key: key)
        #expect(!FileManager.default.fileExists(atPath: folder.path), "the checkpoint is removed once the artifact commits")
    }

    @Test func aStageMayReadAnotherDatasetThanThePipeline() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("transfer.yaml", """
            pipeline: transfer
            dataset: blocks
            stages:
              source: { run: dataset-summary }
              target: { run: dataset-summary, dataset: few-blocks }
            """)
        let outcome = try scratch.run(file)
        #expect(outcome.results["source"]?.metrics["examples"] == 160)
        #expect(outcome.results["target"]?.metrics["examples"] == 40)
        #expect(outcome.record.stage("target")?.dataset == "few-blocks")
        guard case .object(let document)? = outcome.record.stage("target")?.keyDocument,
              case .object(let dataset)? = document["dataset"] else {
            Issue.record("the key document has no dataset")
            return
        }
        #expect(dataset["name"] == .string("few-blocks"))
    }

    @Test func checkpointsPersistUntilTheArtifactCommits() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let checkpoint = Checkpoint(folder: scratch.folder.appendingPathComponent("checkpoints/kind/key", isDirectory: true))
        #expect(try checkpoint.load() == nil)
        try checkpoint.save { try $0.attributes.set("epoch", .int(3)) }
        try checkpoint.save { try $0.attributes.set("epoch", .int(4)) }
        let file = try #require(try checkpoint.load())
        #expect(try file.root.attributes.int("epoch") == 4)
        let names = try FileManager.default.contentsOfDirectory(atPath: checkpoint.folder.path)
        #expect(names == ["checkpoint.h5"])
        checkpoint.remove()
        #expect(!checkpoint.exists)
    }
}
