import Testing
@testable import Pipeline

@Suite struct StageKeyTests {
    private let constant = AnyStageKind(ConstantStage.self)
    private let summary = AnyStageKind(DatasetSummaryStage.self)

    @Test func theKeyHashesTheCanonicalDocument() {
        let key = StageKey(kind: constant, parameters: ["count": .int(2)], inputs: ["up": "abc"], dataset: nil, seed: 9)
        #expect(key.document.canonical == #"{"inputs":{"up":"abc"},"kind":"test-constant","parameters":{"count":2},"version":3}"#)
        #expect(key.value == "18b29c3689e1b9da2efe3cfa645f8c4167bef5aa3e50fdfe76e0bc7f107c9196")
        #expect(key.short == String(key.value.prefix(12)))
    }

    @Test func everyPartOfTheDocumentChangesTheKey() {
        func key(_ parameters: [String: JSONValue] = ["count": .int(2)], inputs: [String: String] = [:],
                 dataset: (String, String)? = ("blocks", "f1"), seed: UInt64 = 0) -> String {
            StageKey(kind: summary, parameters: parameters, inputs: inputs, dataset: dataset, seed: seed).value
        }
        let base = key()
        #expect(key() == base)
        #expect(key(["count": .int(3)]) != base)
        #expect(key(["count": .double(2)]) != base)
        #expect(key(inputs: ["a": "k"]) != base)
        #expect(key(dataset: ("blocks", "f2")) != base)
        #expect(key(dataset: ("digits", "f1")) != base)
        #expect(key(seed: 1) != base)
    }

    @Test func datasetAndSeedEnterOnlyForKindsThatUseThem() {
        let a = StageKey(kind: constant, parameters: [:], inputs: [:], dataset: ("blocks", "f1"), seed: 1)
        let b = StageKey(kind: constant, parameters: [:], inputs: [:], dataset: ("digits", "f2"), seed: 2)
        #expect(a == b)
    }

    @Test func itemNamespacesIgnoreExcludedParametersAndInputs() {
        let small = StageKey(kind: constant, parameters: ["count": .int(50), "label": .string("x")], inputs: ["pool": "p1", "net": "n"],
                             dataset: nil, seed: 0)
        let grown = StageKey(kind: constant, parameters: ["count": .int(60), "label": .string("x")], inputs: ["pool": "p2", "net": "n"],
                             dataset: nil, seed: 0)
        #expect(small != grown)
        #expect(small.itemNamespace(excludingParameters: ["count"], excludingInputs: ["pool"])
            == grown.itemNamespace(excludingParameters: ["count"], excludingInputs: ["pool"]))
        #expect(small.itemNamespace(excludingParameters: ["count"], excludingInputs: [])
            != grown.itemNamespace(excludingParameters: ["count"], excludingInputs: []))
        #expect(small.itemNamespace(excludingParameters: [], excludingInputs: []) != small.value)
    }

    @Test func theGraphOrdersStagesAfterTheirNeedsAndFindsCycles() throws {
        let graph = try StageGraph.build([("c", ["b"]), ("a", []), ("b", ["a"]), ("d", [])]).get()
        #expect(graph.order == ["a", "b", "d", "c"])
        #expect(graph.ancestors(of: "c") == ["a", "b"])
        #expect(graph.descendants(of: "a") == ["b", "c"])
        guard case .failure(let cycle) = StageGraph.build([("a", ["b"]), ("b", ["c"]), ("c", ["a"])]) else {
            Issue.record("no cycle found")
            return
        }
        #expect(cycle.stages == ["a", "b", "c", "a"])
    }
}
