import Artifacts
import Foundation
import Spelling

/// How to run a pipeline.
public struct RunOptions: Sendable {
    /// Stages to recompute although cached; their dependents are recomputed too.
    public var force: [String]
    /// Run only this stage and what it needs.
    public var until: String?

    /// Options of a run; the defaults run every stage, recomputing none that is cached.
    public init(force: [String] = [], until: String? = nil) {
        self.force = force
        self.until = until
    }

    /// The stages a run computes (`until` and its ancestors, or all) and those it must recompute.
    func selection(in plan: RunPlan) throws(PipelineError) -> (selected: Set<String>, forced: Set<String>) {
        let names = plan.graph.order
        func check(_ name: String, _ option: String) throws(PipelineError) {
            guard names.contains(name) else {
                throw .unknownStage(SourceLocation(source: "\(option) \(name)"), path: option, name: name,
                                    suggestion: Suggestion.nearest(to: name, in: names))
            }
        }
        if let until { try check(until, "--until") }
        let selected = plan.selection(until: until)
        var forced = Set<String>()
        for name in force {
            try check(name, "--force")
            forced.formUnion(plan.graph.descendants(of: name).union([name]))
        }
        return (selected, forced.intersection(selected))
    }
}

/// What a run did: its record and where its result set is.
public struct RunOutcome {
    /// The contents of `run.json`.
    public let record: RunRecord
    /// The result set folder.
    public let resultSet: URL
    /// Each stage's result, by stage name.
    public let results: [String: StageResult]
}

/// Runs a pipeline: stages in dependency order, cached ones served from the store, the rest
/// computed and committed atomically, then a result set written.
///
/// A stage that throws stops the run with `.stageFailed`; every stage finished before it stays
/// cached, and its checkpoint stays for the next run to resume from.
public final class PipelineRunner {
    private let plan: RunPlan
    private let workspace: Workspace
    private let display: ProgressDisplay
    private let datasets: DatasetProvider

    /// A runner for `spec` over `workspace`, showing progress on `display`.
    public init(spec: PipelineSpec, registry: StageRegistry, workspace: Workspace, display: ProgressDisplay) throws(PipelineError) {
        datasets = DatasetProvider(workspace: workspace)
        plan = try RunPlan(spec: spec, registry: registry, datasets: datasets)
        self.workspace = workspace
        self.display = display
    }

    /// Runs the selected stages and writes the result set.
    public func run(_ options: RunOptions = RunOptions()) throws(PipelineError) -> RunOutcome {
        let started = Date()
        // Taken before the stages run: a long run outlives edits to the working tree.
        let codeVersion = MachineInfo.codeVersion(in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let (selected, forced) = try options.selection(in: plan)
        let lock = try RunLock.shared(workspace.runLock)
        defer { withExtendedLifetime(lock) {} }
        var inputs: [String: StageInput] = [:]
        var results: [String: StageResult] = [:]
        var records: [StageRecord] = []
        for planned in plan.stages where selected.contains(planned.name) {
            let key = try planned.key.get()
            let clock = Date()
            let outcome: (input: StageInput, cache: CacheOutcome, items: [ItemRecord])
            if !forced.contains(planned.name), let cached = try lookup(planned, key) {
                let items = ResultStorage.itemNamespaces(in: cached.artifact.root).map { ItemRecord(namespace: $0, hits: 0, computed: 0) }
                outcome = (cached, .hit, items)
                display.message("\(planned.name): cached (\(key.short))")
            } else {
                outcome = try execute(planned, key: key, inputs: inputs, forced: forced.contains(planned.name))
            }
            inputs[planned.name] = outcome.input
            results[planned.name] = outcome.input.result
            records.append(StageRecord(name: planned.name, kind: planned.kind.name, version: planned.kind.version,
                                       needs: planned.spec.needs, dataset: planned.spec.dataset,
                                       parameters: planned.spec.parameters, key: key.value, keyDocument: key.document,
                                       cache: outcome.cache, seconds: Date().timeIntervalSince(clock), items: outcome.items,
                                       metrics: outcome.input.result.metrics.keys.sorted()))
        }
        let record = makeRecord(records, results: results, options: options, started: started, codeVersion: codeVersion)
        let (folder, written) = try ResultSetWriter(folder: workspace.results(of: plan.spec.name)).write(record, results: results)
        return RunOutcome(record: written, resultSet: folder, results: results)
    }

    /// The complete artifact of `planned`, opened as an input for downstream stages; nil when
    /// there is none, or when its stored result cannot be read (it is then recomputed).
    private func lookup(_ planned: PlannedStage, _ key: StageKey) throws(PipelineError) -> StageInput? {
        let artifact: Artifact?
        do {
            artifact = try workspace.store.lookup(kind: planned.kind.name, key: key.value)
        } catch {
            throw .cache(error)
        }
        guard let artifact else { return nil }
        do {
            return StageInput(stage: planned.name, kind: planned.kind.name, key: key.value, artifact: artifact,
                              result: try ResultStorage.read(from: artifact.root))
        } catch {
            display.message("\(planned.name): its cached artifact has no readable result (\(error)); computing it again")
            return nil
        }
    }

    /// Computes a stage into a new artifact and commits it.
    private func execute(_ planned: PlannedStage, key: StageKey, inputs: [String: StageInput],
                         forced: Bool) throws(PipelineError) -> (input: StageInput, cache: CacheOutcome, items: [ItemRecord]) {
        let kind = planned.kind, spec = planned.spec
        let checkpoint = Checkpoint(folder: workspace.checkpointFolder(kind: kind.name, key: key.value))
        if forced { checkpoint.remove() }
        display.message("\(planned.name): running \(kind.name) (\(key.short))\(checkpoint.exists ? ", resuming from its checkpoint" : "")")
        let upstream = spec.needs.compactMap { inputs[$0] }
        let metadata = ArtifactMetadata(kind: kind.name, key: key.value, parameters: JSONValue.object(spec.parameters).canonical,
                                        inputs: upstream.map(\.key), version: kind.version)
        let writer: ArtifactWriter
        let output: HDF5Group
        do {
            writer = try workspace.store.writer(metadata)
            output = try writer.root.createGroup(ResultStorage.dataGroup)
        } catch {
            throw .cache(error)
        }
        let progress = display.begin(planned.name)
        defer { display.end(planned.name) }
        let context = StageContext(stage: planned.name, kind: kind.name, key: key, seed: plan.spec.seed, output: output,
                                   progress: progress, checkpoint: checkpoint, isForced: forced,
                                   dataset: try datasets.dataset(for: spec), store: workspace.store, metadata: metadata)
        let result: StageResult
        do {
            result = try kind.run(spec.parameters, StageInputs(upstream), context)
            try result.validate(stage: planned.name)
            try ResultStorage.write(result, itemNamespaces: context.itemCaches.map(\.namespace), to: writer.root)
        } catch {
            writer.abandon()
            let reason = (error as? PipelineError)?.description ?? String(describing: error)
            throw .stageFailed(stage: planned.name, kind: kind.name, reason: reason)
        }
        let artifact: Artifact
        do {
            artifact = try writer.commit()
        } catch {
            throw .cache(error)
        }
        checkpoint.remove()
        let items = context.itemCaches.map { ItemRecord(namespace: $0.namespace, hits: $0.hits, computed: $0.computed) }
        let input = StageInput(stage: planned.name, kind: kind.name, key: key.value, artifact: artifact, result: result)
        return (input, forced ? .forced : .miss, items)
    }

    /// `url`'s path relative to the working directory when it lies inside it (so that result
    /// sets do not name the machine's folders), else absolute.
    static func displayPath(_ url: URL) -> String {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    private func makeRecord(_ stages: [StageRecord], results: [String: StageResult], options: RunOptions,
                            started: Date, codeVersion: String?) -> RunRecord {
        let spec = plan.spec
        let tables = stages.flatMap { stage in
            (results[stage.name]?.tables ?? []).map { table in
                TableRecord(stage: stage.name, name: table.name, file: "\(stage.name).\(table.name).csv",
                            itemColumn: table.itemColumn, columns: table.columns.map(\.name))
            }
        }
        let formatter = ISO8601DateFormatter()
        return RunRecord(pipeline: spec.name, runID: ResultSetWriter.runID(started: started, keys: stages.map(\.key)),
                         description: spec.description, specFile: spec.file, overrides: spec.overrides, until: options.until,
                         forced: options.force, dataset: spec.dataset, seed: spec.seed, stages: stages,
                         expectations: spec.expectations, tables: tables, started: formatter.string(from: started),
                         seconds: Date().timeIntervalSince(started), machine: MachineInfo.current(),
                         codeVersion: codeVersion, cache: Self.displayPath(workspace.store.root))
    }
}
