import Artifacts
import DatasetIO
import Foundation

/// Where a pipeline's runs keep their state: the artifact cache, checkpoints, the dataset
/// catalog and fingerprint memo, and the result sets.
///
/// The cache is `.smash/cache` (or `$SMASH_CACHE`); checkpoints, the run lock and the
/// fingerprint memo live next to it, in the cache's parent folder (`.smash/` by default).
public struct Workspace: Sendable {
    /// The content-addressed artifact cache.
    public let store: ArtifactStore
    /// The dataset descriptors.
    public let catalog: DatasetCatalog
    /// The folder holding `<pipeline>/<run-id>/` result sets.
    public let results: URL
    /// The environment datasets are located with (`SMASH_DATA`).
    public let environment: [String: String]

    /// A workspace over explicit places.
    public init(store: ArtifactStore, catalog: DatasetCatalog, results: URL,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.catalog = catalog
        self.results = results
        self.environment = environment
    }

    /// The standard places under `workingDirectory`: `$SMASH_CACHE` or `.smash/cache`, the given
    /// catalog folder (`Datasets`) and results folder (`Results`).
    public static func standard(catalog: String = DatasetCatalog.defaultFolder, results: String = "Results",
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        -> Workspace {
        Workspace(store: ArtifactStore.standard(environment: environment, workingDirectory: workingDirectory),
                  catalog: DatasetCatalog(folder: catalog),
                  results: URL(fileURLWithPath: results, relativeTo: workingDirectory).standardizedFileURL,
                  environment: environment)
    }

    /// The folder of the cache, checkpoints, run lock and fingerprint memo.
    public var stateFolder: URL { store.root.deletingLastPathComponent() }

    /// `<state>/checkpoints`, holding `<kind>/<key>/` per unfinished long stage.
    public var checkpoints: URL { stateFolder.appendingPathComponent("checkpoints", isDirectory: true) }

    /// The lock that runs share and `gc` takes alone.
    public var runLock: URL { stateFolder.appendingPathComponent("runs.lock") }

    /// The memo of dataset file digests.
    public var fingerprintMemo: FingerprintMemo {
        FingerprintMemo(path: stateFolder.appendingPathComponent("dataset-fingerprints.json").path)
    }

    /// The folder of one pipeline's result sets.
    public func results(of pipeline: String) -> URL {
        results.appendingPathComponent(pipeline, isDirectory: true)
    }

    /// The checkpoint folder of one stage run.
    func checkpointFolder(kind: String, key: String) -> URL {
        checkpoints.appendingPathComponent(kind, isDirectory: true).appendingPathComponent(key, isDirectory: true)
    }
}
