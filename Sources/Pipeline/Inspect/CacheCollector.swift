import Artifacts
import Foundation

/// What `gc` did or, on a dry run, would do.
public struct CacheCollection: Sendable {
    /// The store's report: removed, kept and in-use entries.
    public let report: ArtifactGCReport
    /// The result sets whose keys were kept.
    public let resultSets: Int
    /// Checkpoint folders removed because their stage's artifact is complete.
    public let removedCheckpoints: [URL]
}

/// Drops cache entries that no result set references.
///
/// Kept: every stage key and item namespace recorded in any `run.json` under the results folder.
/// Removed: everything else in the store (and incomplete, corrupt and abandoned temporary files),
/// and checkpoint folders of stages whose artifact is complete. Takes the workspace's run lock
/// alone, so it refuses to run while a pipeline runs.
public enum CacheCollector {
    /// Removes (or with `dryRun` lists) what no result set under `workspace.results` references.
    public static func collect(_ workspace: Workspace, dryRun: Bool) throws(PipelineError) -> CacheCollection {
        let lock = dryRun ? nil : try RunLock.exclusive(workspace.runLock)
        defer { withExtendedLifetime(lock) {} }
        let sets = try resultSets(under: workspace.results)
        var keep = Set<String>()
        for set in sets {
            for stage in set.record.stages {
                keep.insert(stage.key)
                keep.formUnion(stage.items.map(\.namespace))
            }
        }
        let report: ArtifactGCReport
        do {
            report = try workspace.store.gc(keeping: keep, dryRun: dryRun)
        } catch {
            throw .cache(error)
        }
        return CacheCollection(report: report, resultSets: sets.count,
                               removedCheckpoints: finishedCheckpoints(workspace, dryRun: dryRun))
    }

    /// Every result set under `root`; an unreadable one stops `gc`, which would otherwise drop
    /// the entries it references.
    private static func resultSets(under root: URL) throws(PipelineError) -> [ResultSet] {
        try ResultSetIndex(root: root).all()
    }

    /// Checkpoint folders `<kind>/<key>` whose artifact is complete: leftovers of a run that
    /// stopped between committing and cleaning up.
    private static func finishedCheckpoints(_ workspace: Workspace, dryRun: Bool) -> [URL] {
        let manager = FileManager.default
        var removed: [URL] = []
        for kind in (try? manager.contentsOfDirectory(atPath: workspace.checkpoints.path))?.sorted() ?? [] {
            let kindFolder = workspace.checkpoints.appendingPathComponent(kind, isDirectory: true)
            for key in (try? manager.contentsOfDirectory(atPath: kindFolder.path))?.sorted() ?? [] {
                guard (try? workspace.store.entry(kind: kind, key: key, verifyData: false))?.state == .complete else { continue }
                let folder = kindFolder.appendingPathComponent(key, isDirectory: true)
                if !dryRun { try? manager.removeItem(at: folder) }
                removed.append(folder)
            }
        }
        return removed
    }
}
