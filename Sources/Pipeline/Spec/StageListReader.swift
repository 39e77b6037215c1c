import Spelling

/// Reads the `stages:` mapping of a spec: kinds, parameters, needs, datasets and the graph.
struct StageListReader {
    let reader: SpecReader
    let pipelineDataset: String?

    /// The stages in file order, each validated, the graph free of cycles.
    func read(_ node: SpecNode) throws(PipelineError) -> [StageSpec] {
        let entries = try node.mapping("stages", expected: "a mapping of stage names to stages")
        guard !entries.isEmpty else {
            throw .invalidValue(node.location, path: "stages", value: "empty", expected: "at least one stage", suggestion: nil)
        }
        let names = entries.map(\.key)
        var stages: [StageSpec] = []
        var needLocations: [String: [String: SourceLocation]] = [:]
        for entry in entries {
            let (stage, locations) = try readStage(entry, stageNames: names)
            stages.append(stage)
            needLocations[stage.name] = locations
        }
        if case .failure(let cycle) = StageGraph.build(stages.map { ($0.name, $0.needs) }) {
            let first = cycle.stages[0], second = cycle.stages.count > 1 ? cycle.stages[1] : first
            let location = needLocations[first]?[second] ?? node.location
            throw .cycle(location, stages: cycle.stages)
        }
        let kinds = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0.kind) })
        for stage in stages { try validateKindRules(stage, kinds: kinds) }
        return stages
    }

    /// One stage and the location of each of its needs.
    private func readStage(_ entry: SpecNode.Entry, stageNames: [String])
        throws(PipelineError) -> (StageSpec, [String: SourceLocation]) {
        let path = "stages.\(entry.key)"
        guard SpecNode.isName(entry.key) else {
            throw .invalidValue(entry.keyLocation, path: path, value: "'\(entry.key)'",
                                expected: "a stage name of letters, digits, '_' and '-' (no dots or spaces)", suggestion: nil)
        }
        let node = entry.value
        _ = try node.mapping(path, expected: "a mapping with run, needs, with and dataset")
        try node.checkKeys(SpecReader.stageKeys, path: path)
        guard let runNode = node["run"] else { throw .missingKey(node.location, path: "\(path).run") }
        let kindName = try runNode.text("\(path).run")
        guard let kind = reader.registry[kindName] else {
            throw .unknownStageKind(runNode.location, path: "\(path).run", kind: kindName, known: reader.registry.names,
                                    suggestion: Suggestion.nearest(to: kindName, in: reader.registry.names))
        }
        var needs: [String] = []
        var needLocations: [String: SourceLocation] = [:]
        for need in try node["needs"]?.names("\(path).needs") ?? [] {
            guard stageNames.contains(need.name) else {
                throw .unknownStage(need.location, path: "\(path).needs", name: need.name,
                                    suggestion: Suggestion.nearest(to: need.name, in: stageNames.filter { $0 != entry.key }))
            }
            guard need.name != entry.key else {
                throw .cycle(need.location, stages: [entry.key, entry.key])
            }
            guard !needs.contains(need.name) else {
                throw .duplicateKey(need.location, path: "\(path).needs[\(need.name)]", first: needLocations[need.name])
            }
            needs.append(need.name)
            needLocations[need.name] = need.location
        }
        let dataset = try readDataset(node, kind: kind, stage: entry.key, path: path, location: entry.keyLocation)
        let schema = try kind.schema()
        let withNode: SpecNode? = if case .scalar(.null, _)? = node["with"]?.content { nil } else { node["with"] }
        let parameters = try ParameterResolver.resolve(withNode, schema: schema, path: "\(path).with", stageLocation: entry.keyLocation)
        let stage = StageSpec(name: entry.key, kind: kindName, needs: needs, parameters: parameters.values, dataset: dataset,
                              location: entry.keyLocation, parameterLocations: parameters.locations)
        return (stage, needLocations)
    }

    /// The dataset a stage reads: its own, else the pipeline's; nil for kinds that read none.
    private func readDataset(_ node: SpecNode, kind: AnyStageKind, stage: String, path: String,
                             location: SourceLocation) throws(PipelineError) -> String? {
        if let datasetNode = node["dataset"] {
            guard kind.usesDataset else {
                throw .invalidValue(datasetNode.location, path: "\(path).dataset", value: "set",
                                    expected: "no dataset: stage kind '\(kind.name)' reads none", suggestion: nil)
            }
            return try reader.datasetName(datasetNode, path: "\(path).dataset")
        }
        guard kind.usesDataset else { return nil }
        guard let pipelineDataset else { throw .noDataset(location, stage: stage, kind: kind.name) }
        return pipelineDataset
    }

    /// The kind's own cross-parameter checks, reported at the offending parameter.
    private func validateKindRules(_ stage: StageSpec, kinds: [String: String]) throws(PipelineError) {
        guard let kind = reader.registry[stage.kind] else { return }
        let outline = StageOutline(name: stage.name, needs: stage.needs, needKinds: stage.needs.map { kinds[$0] ?? "" },
                                   dataset: stage.dataset)
        do {
            try kind.validate(stage.parameters, outline: outline)
        } catch .invalidParameter("needs", let reason, let expected) {
            throw .invalidValue(stage.location, path: "stages.\(stage.name).needs", value: "[\(stage.needs.joined(separator: ", "))], which \(reason)",
                                expected: expected, suggestion: nil)
        } catch .invalidParameter(let parameter, let reason, let expected) {
            let value = stage.parameters[parameter].map { "\($0.canonical), which \(reason)" } ?? reason
            throw .invalidValue(stage.parameterLocations[parameter] ?? stage.location, path: "stages.\(stage.name).with.\(parameter)",
                                value: value, expected: expected, suggestion: nil)
        }
    }
}
