import DatasetIO
import Foundation
import Spelling

/// Reads pipeline specs: YAML → `--set` overrides → typed, validated `PipelineSpec`.
///
/// Every problem is a `PipelineError` at the location of the offending value, with a "did you
/// mean" for near misses of keys, stage names, stage kinds, parameters, choices and datasets.
public struct SpecReader: Sendable {
    /// Top-level keys of a spec.
    static let topLevelKeys = ["pipeline", "description", "dataset", "seed", "stages", "expect"]
    /// Keys of one stage.
    static let stageKeys = ["run", "needs", "with", "dataset"]
    /// Keys of one expectation.
    static let expectationKeys = ["min", "max", "equals", "tolerance"]

    /// The stage kinds a spec may name.
    public let registry: StageRegistry
    /// The dataset names a spec may name.
    public let datasetNames: [String]

    /// A reader for the given kinds and dataset names.
    public init(registry: StageRegistry, datasetNames: [String]) {
        self.registry = registry
        self.datasetNames = datasetNames
    }

    /// A reader for the given kinds and the datasets of `catalog` (none when its folder is missing).
    public init(registry: StageRegistry, catalog: DatasetCatalog) {
        self.init(registry: registry, datasetNames: (try? catalog.names()) ?? [])
    }

    /// Reads and validates the spec in `file`, applying `overrides` (`PATH=VALUE`) first.
    public func read(file: String, overrides: [String] = []) throws(PipelineError) -> PipelineSpec {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "permission denied or not a regular file" : "no such file"
            throw .unreadable(path: file, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: file, reason: "it is not UTF-8 text")
        }
        return try parse(yaml: text, file: file, overrides: overrides)
    }

    /// Validates the spec text `yaml`, read from `file` (used in locations).
    public func parse(yaml: String, file: String, overrides: [String] = []) throws(PipelineError) -> PipelineSpec {
        guard let parsed = try SpecNode.parse(yaml: yaml, source: file) else {
            throw .missingKey(SourceLocation(file: file, line: 1, column: 1), path: "pipeline")
        }
        let root = try Overrides.apply(overrides, to: parsed)
        _ = try root.mapping("(document)", expected: "a mapping with the keys \(Self.topLevelKeys.joined(separator: ", "))")
        try root.checkKeys(Self.topLevelKeys, path: "")
        guard let nameNode = root["pipeline"] else { throw .missingKey(root.location, path: "pipeline") }
        let name = try nameNode.name("pipeline")
        let description = try root["description"].map { node throws(PipelineError) in try node.text("description") } ?? ""
        let dataset = try root["dataset"].map { node throws(PipelineError) in try datasetName(node, path: "dataset") }
        let seed = try readSeed(root["seed"])
        guard let stagesNode = root["stages"] else { throw .missingKey(root.location, path: "stages") }
        let stages = try StageListReader(reader: self, pipelineDataset: dataset).read(stagesNode)
        let expectations = try readExpectations(root["expect"], stages: stages)
        return PipelineSpec(name: name, description: description, dataset: dataset, seed: seed, stages: stages,
                            expectations: expectations, file: file, overrides: overrides)
    }

    /// A dataset name the catalog knows.
    func datasetName(_ node: SpecNode, path: String) throws(PipelineError) -> String {
        let name = try node.text(path)
        guard datasetNames.contains(name) else {
            throw .unknownDataset(node.location, path: path, name: name, known: datasetNames,
                                  suggestion: Suggestion.nearest(to: name, in: datasetNames))
        }
        return name
    }

    private func readSeed(_ node: SpecNode?) throws(PipelineError) -> UInt64 {
        guard let node else { return 0 }
        let seed = try node.integer("seed")
        guard seed >= 0 else {
            throw .invalidValue(node.location, path: "seed", value: String(seed), expected: "an integer of at least 0", suggestion: nil)
        }
        return UInt64(seed)
    }

    /// `expect:` entries `stage.metric: {min, max, equals, tolerance}`.
    private func readExpectations(_ node: SpecNode?, stages: [StageSpec]) throws(PipelineError) -> [Expectation] {
        guard let node else { return [] }
        var expectations: [Expectation] = []
        for entry in try node.mapping("expect") {
            let path = "expect.\(entry.key)"
            guard let dot = entry.key.firstIndex(of: "."), entry.key.index(after: dot) < entry.key.endIndex else {
                throw .invalidValue(entry.keyLocation, path: path, value: "'\(entry.key)'", expected: "a key of the form STAGE.METRIC",
                                    suggestion: nil)
            }
            let stageName = String(entry.key[..<dot]), metric = String(entry.key[entry.key.index(after: dot)...])
            guard let stage = stages.first(where: { $0.name == stageName }) else {
                throw .unknownStage(entry.keyLocation, path: path, name: stageName,
                                    suggestion: Suggestion.nearest(to: stageName, in: stages.map(\.name)))
            }
            let metrics = registry[stage.kind]?.metricNames ?? []
            guard metrics.contains(metric) else {
                let known = metrics.map { "\(stageName).\($0)" }
                throw .unknownKey(entry.keyLocation, path: path, known: known,
                                  suggestion: Suggestion.nearest(to: metric, in: metrics).map { "\(stageName).\($0)" })
            }
            expectations.append(try readExpectation(entry.value, stage: stageName, metric: metric, path: path))
        }
        return expectations
    }

    private func readExpectation(_ node: SpecNode, stage: String, metric: String, path: String) throws(PipelineError) -> Expectation {
        let entries = try node.mapping(path, expected: "a mapping with min, max, equals or tolerance")
        try node.checkKeys(Self.expectationKeys, path: path)
        var values: [String: Double] = [:]
        for entry in entries { values[entry.key] = try entry.value.number("\(path).\(entry.key)") }
        guard !values.isEmpty else {
            throw .missingKey(node.location, path: "\(path).min, max, equals or tolerance")
        }
        if let min = values["min"], let max = values["max"], min > max, let maxNode = node["max"] {
            throw .invalidValue(maxNode.location, path: "\(path).max", value: "\(max)", expected: "at least min (\(min))", suggestion: nil)
        }
        if let tolerance = values["tolerance"], tolerance < 0, let toleranceNode = node["tolerance"] {
            throw .invalidValue(toleranceNode.location, path: "\(path).tolerance", value: "\(tolerance)",
                                expected: "a number of at least 0", suggestion: nil)
        }
        return Expectation(stage: stage, metric: metric, min: values["min"], max: values["max"], equals: values["equals"],
                           tolerance: values["tolerance"])
    }
}
