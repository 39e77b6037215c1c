import Artifacts
import Foundation

/// Whether a stage's artifact is in the cache and, if not, why it would run.
public struct StageStatus: Sendable {
    /// The state of one stage.
    public enum State: String, Sendable {
        /// Its artifact is complete; a run serves it.
        case cached
        /// A run would compute it; `reasons` say why.
        case stale
        /// It cannot run: its dataset or an upstream stage is unavailable.
        case blocked
    }

    /// The stage's name.
    public let stage: String
    /// Its kind.
    public let kind: String
    /// Its key, when it can be computed.
    public let key: String?
    /// Cached, stale or blocked.
    public let state: State
    /// Why it is stale or blocked: changed parameter paths, upstream keys, dataset, ...
    public let reasons: [String]
    /// Other facts: partial files that are not served, a checkpoint to resume from.
    public let notes: [String]
}

/// The status of every stage of a spec, without running anything and without taking any lock.
///
/// A stale stage's reasons come from comparing its key document with the one recorded by the
/// newest result set of the pipeline that has the stage.
public enum PipelineStatus {
    /// The status of each stage, in dependency order. With `options`, only the stages a run with
    /// those options would handle, forced ones reported stale (what `run --dry-run` shows).
    public static func evaluate(_ spec: PipelineSpec, registry: StageRegistry, workspace: Workspace,
                                options: RunOptions? = nil) throws(PipelineError) -> [StageStatus] {
        let plan = try RunPlan(spec: spec, registry: registry, datasets: DatasetProvider(workspace: workspace))
        let (selected, forced) = try (options ?? RunOptions()).selection(in: plan)
        let previous = ResultSetIndex(root: workspace.results).latestRecords(of: spec.name, stages: plan.graph.order)
        return plan.stages.filter { selected.contains($0.name) }.map { planned in
            let status = status(of: planned, previous: previous[planned.name], workspace: workspace)
            guard forced.contains(planned.name), status.state == .cached else { return status }
            return StageStatus(stage: status.stage, kind: status.kind, key: status.key, state: .stale,
                               reasons: ["forced by --force"], notes: [])
        }
    }

    private static func status(of planned: PlannedStage, previous: StageRecord?, workspace: Workspace) -> StageStatus {
        let key: StageKey
        switch planned.key {
        case .success(let found): key = found
        case .failure(let error):
            return StageStatus(stage: planned.name, kind: planned.kind.name, key: nil, state: .blocked,
                               reasons: [error.description], notes: [])
        }
        let entry = try? workspace.store.entry(kind: planned.kind.name, key: key.value)
        if entry?.state == .complete {
            return StageStatus(stage: planned.name, kind: planned.kind.name, key: key.value, state: .cached, reasons: [], notes: [])
        }
        let writers = temporaryWriters(kind: planned.kind.name, key: key.value, store: workspace.store).map(writerNote)
        return StageStatus(stage: planned.name, kind: planned.kind.name, key: key.value, state: .stale,
                           reasons: reasons(planned, key, previous, entry: entry),
                           notes: writers + checkpointNote(planned, key, workspace))
    }

    /// Why the stage is not cached, from its previous key document.
    static func reasons(_ planned: PlannedStage, _ key: StageKey, _ previous: StageRecord?, entry: ArtifactEntry?) -> [String] {
        if let entry, entry.state != .complete {
            return ["its artifact \(key.short) is \(entry.state): \(entry.detail ?? "not served")"]
        }
        guard let previous else { return ["never run: no result set of this pipeline has the stage"] }
        guard previous.key != key.value else {
            return ["its artifact \(key.short) is no longer in the cache (removed by gc, or the cache moved)"]
        }
        let reasons = KeyDocumentChanges(stage: planned.name, old: previous.keyDocument, new: key.document).describe()
        return reasons.isEmpty ? ["its key changed (\(String(previous.key.prefix(12))) → \(key.short))"] : reasons
    }

    /// A note on a temporary file: a run computing the stage now, or one that was killed.
    private static func writerNote(_ pid: Int32) -> String {
        ProcessLiveness.isAlive(pid) ? "being computed now by process \(pid)"
            : "a run that was interrupted (process \(pid)) left a partial file, which is not served"
    }

    /// The process ids in the names of temporary files `<kind>/.<key>.<pid>.tmp.h5`.
    private static func temporaryWriters(kind: String, key: String, store: ArtifactStore) -> [Int32] {
        let folder = store.root.appendingPathComponent(kind, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let prefix = ".\(key).", suffix = ".tmp.h5"
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }
            .compactMap { Int32($0.dropFirst(prefix.count).dropLast(suffix.count)) }
    }

    private static func checkpointNote(_ planned: PlannedStage, _ key: StageKey, _ workspace: Workspace) -> [String] {
        let checkpoint = Checkpoint(folder: workspace.checkpointFolder(kind: planned.kind.name, key: key.value))
        return checkpoint.exists ? ["a checkpoint of an interrupted run will be resumed"] : []
    }
}
