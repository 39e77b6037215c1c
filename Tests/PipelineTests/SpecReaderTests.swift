import Foundation
import Testing
@testable import Pipeline

@Suite struct SpecReaderTests {
    private let reader = SpecReader(registry: testRegistry, datasetNames: ["blocks", "digits"])

    @Test func aValidSpecResolvesEveryParameterWithDefaults() throws {
        let spec = try reader.parse(yaml: validSpec, file: "demo.yaml")
        #expect(spec.name == "demo")
        #expect(spec.seed == 0)
        #expect(spec.stages.map(\.name) == ["summary", "centroid", "curve"])
        let centroid = try #require(spec.stage("centroid"))
        #expect(centroid.parameters == ["subsets": .int(4), "sizes": .array([.int(1), .int(2)]),
                                        "evaluateOn": .string("validation"), "evaluationPerClass": .int(0)])
        #expect(centroid.dataset == "blocks")
        #expect(spec.stage("curve")?.dataset == nil)
        #expect(spec.stage("curve")?.needs == ["centroid"])
        #expect(spec.expectations == [Expectation(stage: "curve", metric: "pearson", min: 0)])
    }

    @Test func overridesAreValidatedLikeTheFileAndLaterOnesWin() throws {
        let spec = try reader.parse(yaml: validSpec, file: "demo.yaml", overrides: [
            "seed=5", "stages.centroid.with.subsets=7", "stages.centroid.with.subsets=8", "stages.summary.with.split=test",
            "stages.summary.dataset=digits", "stages.centroid.with.sizes=[3, 4]",
        ])
        #expect(spec.seed == 5)
        #expect(spec.stage("centroid")?.parameters["subsets"] == .int(8))
        #expect(spec.stage("centroid")?.parameters["sizes"] == .array([.int(3), .int(4)]))
        #expect(spec.stage("summary")?.parameters["split"] == .string("test"))
        #expect(spec.stage("summary")?.dataset == "digits")
        #expect(spec.stage("centroid")?.dataset == "blocks")
        #expect(spec.overrides.count == 6)
    }

    @Test func everyParameterTypeIsCheckedAndIntegersWidenToReals() throws {
        let spec = try reader.parse(yaml: """
            pipeline: kinds
            stages:
              c:
                run: test-constant
                with: { value: 2, count: 10, label: 7, enabled: yes, mode: fancy, sizes: [], weights: [1, 0.5], modes: [fancy, plain] }
            """, file: "kinds.yaml")
        #expect(spec.stage("c")?.parameters == [
            "value": .double(2), "count": .int(10), "label": .string("7"), "enabled": .bool(true), "mode": .string("fancy"),
            "sizes": .array([]), "weights": .array([.double(1), .double(0.5)]), "modes": .array([.string("fancy"), .string("plain")]),
        ])
    }

    @Test func quotedNumbersAreStringsNotIntegers() {
        #expect(throws: PipelineError.wrongType(SourceLocation(file: "q.yaml", line: 2, column: 51), path: "stages.c.with.count",
                                                expected: "an integer", found: "the string '3'")) {
            try reader.parse(yaml: "pipeline: q\nstages: { c: { run: test-constant, with: { count: \"3\" } } }", file: "q.yaml")
        }
    }

    @Test func aSingleNeedMayBeWrittenWithoutAList() throws {
        let spec = try reader.parse(yaml: """
            pipeline: one
            stages:
              a: { run: test-constant }
              b: { run: test-constant, needs: a }
            """, file: "one.yaml")
        #expect(spec.stage("b")?.needs == ["a"])
    }

    @Test func theSchemaComesFromTheParameterStruct() throws {
        let schema = try #require(testRegistry["test-constant"]).schema()
        #expect(schema.names == ["value", "count", "label", "enabled", "mode", "sizes", "weights", "modes"])
        #expect(schema.declaration("mode")?.type == .choice(["plain", "fancy"]))
        #expect(schema.declaration("modes")?.type == .list(.choice(["plain", "fancy"])))
        #expect(schema.declaration("weights")?.type == .list(.double))
        #expect(schema.declaration("count")?.expectation == "an integer between 0 and 10")
        #expect(schema.declaration("label")?.expectation == "a non-empty string")
        #expect(schema.declaration("value")?.defaultValue == .double(1.5))
    }

    @Test func everyStandardKindHasAUsableSchemaAndDecodesItsDefaults() throws {
        for name in StageRegistry.standard.names {
            let kind = try #require(StageRegistry.standard[name])
            let schema = try kind.schema()
            let defaults = Dictionary(uniqueKeysWithValues: schema.declarations.map { ($0.name, $0.defaultValue) })
            do {
                try kind.validate(defaults, outline: StageOutline(name: "s", needs: [], needKinds: [], dataset: nil))
            } catch {
                guard case .invalidParameter = error else { throw error }
            }
            #expect(!kind.metricNames.isEmpty, "\(name) declares no metrics")
        }
    }

    @Test func aParameterOfAnUnsupportedTypeIsReportedAgainstTheKind() {
        #expect(throws: PipelineError.self) { try AnyStageKind(MalformedStage.self).schema() }
        do {
            _ = try AnyStageKind(MalformedStage.self).schema()
        } catch {
            #expect(error.description.contains("parameter 'limits' has the type Dictionary<String, Int>"))
        }
    }
}

/// A kind whose parameter struct has a dictionary, which parameters cannot be.
private struct MalformedStage: StageKind {
    static let name = "test-malformed"
    static let version = 1
    static let summary = "Never valid."
    static let metricNames: [String] = []

    struct Parameters: StageParameters {
        var limits: [String: Int] = [:]
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        StageResult()
    }
}
