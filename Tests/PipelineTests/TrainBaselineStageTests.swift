import Artifacts
import Foundation
import Testing
@testable import Pipeline

/// The `train-baseline` stage trains a Wide ResNet through the trainer and reports what it did.
@Suite struct TrainBaselineStageTests {
    static let spec = """
        pipeline: baseline
        dataset: blocks
        stages:
          wrn:
            run: train-baseline
            with: { depth: 10, width: 1, epochs: 6, batchSize: 8, validation: 40, learningRate: 0.05 }
        """

    @Test func trainsReportsAndCachesAWideResNet() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("baseline.yaml", Self.spec)
        let first = try scratch.run(file)
        let result = try #require(first.results["wrn"])
        #expect(result.metrics["epochs"] == 6)
        #expect((result.metrics["params"] ?? 0) > 10_000)
        #expect((result.metrics["val_error"] ?? 1) < 0.6, "four classes: chance is 0.75")
        #expect(result.table("history")?.items == (1...6).map(String.init))
        #expect(result.charts.map(\.name) == ["training-curve"])
        #expect(result.markdown.contains("WRN-10-1"))

        let second = try scratch.run(file)
        #expect(second.record.stages.first?.cache == .hit)
        #expect(second.results["wrn"]?.metrics == result.metrics)
    }

    @Test func rejectsADepthThatIsNotSixNPlusFour() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let file = try scratch.write("baseline.yaml", Self.spec)
        #expect(throws: PipelineError.self) { try scratch.spec(file, overrides: ["stages.wrn.with.depth=12"]) }
        #expect(throws: PipelineError.self) { try scratch.spec(file, overrides: ["stages.wrn.with.optimizer=rmsprop"]) }
    }
}
