import Artifacts
import Foundation
import Reports
import Testing
@testable import Pipeline

/// The standard stage kinds compute what they claim.
@Suite struct StageKindTests {
    @Test func correlateJoinsItemsByIdAndMatchesTheStatistics() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("pairs.yaml", """
            pipeline: pairs
            stages:
              a: { run: test-constant, with: { count: 8, value: 2 } }
              b: { run: test-constant, with: { count: 6, value: -1 } }
              both:
                run: correlate
                needs: [a, b]
                with: { x: a.items.score, y: b.score, resamples: 40 }
            """)
        let outcome = try scratch.run(file)
        let metrics = try #require(outcome.results["both"]?.metrics)
        let xs = (0..<6).map { Double($0) * 2 }, ys = (0..<6).map { Double($0) * -1 }
        #expect(metrics["pairs"] == 6)
        #expect(metrics["pearson"] == (try Correlation.pearson(xs, ys)).coefficient)
        #expect(metrics["kendall_tau"] == -1)
        #expect(metrics["spearman"] == -1)
        #expect(metrics["slope"].map { abs($0 + 0.5) < 1e-12 } == true)
        #expect(metrics["intercept"].map { abs($0) < 1e-12 } == true)
        let table = try #require(outcome.results["both"]?.table("pairs"))
        #expect(table.items == (0..<6).map { "i\($0)" })
        #expect(outcome.results["both"]?.charts.first?.svg.contains("class=\"fit\"") == true)
    }

    @Test func correlateNamesTheColumnsItCouldUseWhenOneIsMissing() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("pairs.yaml", """
            pipeline: pairs
            stages:
              a: { run: test-constant }
              both: { run: correlate, needs: [a], with: { x: a.items.scor, y: a.score } }
            """)
        do {
            _ = try scratch.run(file)
            Issue.record("the run succeeded")
        } catch let error as PipelineError {
            #expect(error.description.contains("stage 'both' (correlate) failed"))
            #expect(error.description.contains("did you mean 'a.items.score'?"))
        }
    }

    @Test func nearestCentroidSeparatesTheBlocksAndStoresOneEntryPerSubset() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("nc.yaml", """
            pipeline: nc
            dataset: blocks
            stages:
              nc: { run: nearest-centroid, with: { subsets: 4, sizes: [40], evaluateOn: test } }
            """)
        let outcome = try scratch.run(file)
        let metrics = try #require(outcome.results["nc"]?.metrics)
        #expect(metrics["accuracy_min"].map { $0 > 0.9 } == true)
        let namespace = try #require(outcome.record.stage("nc")?.items.first?.namespace)
        let entries = try scratch.workspace.store.status(kind: "nearest-centroid").filter { $0.namespace == namespace }
        #expect(entries.map(\.item) == ["s0-k40", "s1-k40", "s2-k40", "s3-k40"])
        let item = try #require(try scratch.workspace.store.lookup(kind: "nearest-centroid", key: "\(namespace).s0-k40"))
        let confusion = try item.root.read("confusion", as: Int64.self)
        #expect(confusion.shape == [4, 4])
        #expect(confusion.values.reduce(0, +) == 40)
    }

    @Test func datasetSummaryCountsClassesAndIntensities() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("sum.yaml", """
            pipeline: sum
            dataset: blocks
            stages:
              all: { run: dataset-summary, with: { split: test } }
              few: { run: dataset-summary, with: { perClass: 3 } }
            """)
        let outcome = try scratch.run(file)
        #expect(outcome.results["all"]?.metrics["examples"] == 40)
        #expect(outcome.results["few"]?.metrics["examples"] == 12)
        #expect(outcome.results["few"]?.metrics["smallest_class_fraction"] == 0.25)
        let table = try #require(outcome.results["all"]?.table("classes"))
        #expect(table.items == TestWorkspace.classNames)
        let intensity = try #require(outcome.results["all"]?.metrics["mean_intensity"])
        #expect(intensity > 4 / 16 && intensity < 6.5 / 16, "a quarter of the pixels near 9/16, the rest near 4/16, clamped noise")
        let data = try #require(try scratch.workspace.store.lookup(kind: "dataset-summary", key: outcome.record.stages[0].key))
        #expect(try data.root.read("data/class_counts", as: Int64.self).values.reduce(0, +) == 40)
    }
}
