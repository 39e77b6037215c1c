/// One stage of a plan: its spec, kind and key (or why no key can be computed).
public struct PlannedStage {
    /// The stage as the spec declares it.
    public let spec: StageSpec
    /// Its kind.
    public let kind: AnyStageKind
    /// Its key, or the error that prevents computing it (a missing dataset, upstream or own).
    public let key: Result<StageKey, PipelineError>

    /// The stage's name.
    public var name: String { spec.name }
}

/// The stages of a spec in dependency order with their keys: what a run would compute.
///
/// Keys are known before anything runs: a stage's key depends only on its kind, parameters,
/// dataset fingerprint, seed and its upstream stages' keys, never on their outputs.
public struct RunPlan {
    /// The validated spec.
    public let spec: PipelineSpec
    /// The dependency graph.
    public let graph: StageGraph
    /// Every stage, in `graph.order`.
    public let stages: [PlannedStage]

    /// Plans `spec`; a stage whose dataset is unavailable, or whose upstream has no key, gets
    /// the error instead of a key.
    init(spec: PipelineSpec, registry: StageRegistry, datasets: DatasetProvider) throws(PipelineError) {
        guard case .success(let graph) = StageGraph.build(spec.stages.map { ($0.name, $0.needs) }) else {
            throw .cycle(SourceLocation(source: spec.file), stages: [])
        }
        var keys: [String: Result<StageKey, PipelineError>] = [:]
        var stages: [PlannedStage] = []
        for name in graph.order {
            guard let stage = spec.stage(name), let kind = registry[stage.kind] else { continue }
            let key = Result { () throws(PipelineError) -> StageKey in
                var inputs: [String: String] = [:]
                for need in stage.needs {
                    guard case .success(let upstream)? = keys[need] else {
                        throw .blocked(stage: stage.name, reason: "its upstream stage '\(need)' cannot be planned")
                    }
                    inputs[need] = upstream.value
                }
                let dataset = try datasets.dataset(for: stage).map { ($0.name, $0.fingerprint) }
                return StageKey(kind: kind, parameters: stage.parameters, inputs: inputs, dataset: dataset, seed: spec.seed)
            }
            keys[name] = key
            stages.append(PlannedStage(spec: stage, kind: kind, key: key))
        }
        self.spec = spec
        self.graph = graph
        self.stages = stages
    }

    /// The planned stage `name`.
    public func stage(_ name: String) -> PlannedStage? {
        stages.first { $0.name == name }
    }

    /// The stages a run with `until` computes: `until` and all it needs, or every stage.
    func selection(until: String?) -> Set<String> {
        guard let until else { return Set(graph.order) }
        return graph.ancestors(of: until).union([until])
    }
}
