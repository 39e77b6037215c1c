import Artifacts
import Foundation
import Randomness

/// What a running stage gets besides its inputs and parameters: where to write, its dataset and
/// seed, per-item caching, a checkpoint, and its progress bar.
public final class StageContext {
    /// The stage's name in the spec.
    public let stage: String
    /// The stage's kind.
    public let kind: String
    /// The stage's key.
    public let key: String
    /// The pipeline seed (part of the key only for kinds that declare `usesSeed`).
    public let seed: UInt64
    /// The group the stage writes its own data into (`/data` of its artifact).
    public let output: HDF5Group
    /// The stage's progress bar.
    public let progress: StageProgress
    /// The stage's checkpoint, kept across kills until the artifact commits.
    public let checkpoint: Checkpoint
    /// Whether the run was told to recompute this stage (`--force`); item entries are then
    /// recomputed too.
    public let isForced: Bool
    private let stageDataset: StageDataset?
    private let stageKey: StageKey
    private let store: ArtifactStore
    private let metadata: ArtifactMetadata
    private(set) var itemCaches: [ItemCache] = []

    init(stage: String, kind: String, key: StageKey, seed: UInt64, output: HDF5Group, progress: StageProgress,
         checkpoint: Checkpoint, isForced: Bool, dataset: StageDataset?, store: ArtifactStore, metadata: ArtifactMetadata) {
        self.stage = stage
        self.kind = kind
        self.key = key.value
        self.seed = seed
        self.output = output
        self.progress = progress
        self.checkpoint = checkpoint
        self.isForced = isForced
        stageDataset = dataset
        stageKey = key
        self.store = store
        self.metadata = metadata
    }

    /// The dataset the stage reads: its own `dataset:` in the spec, else the pipeline's.
    /// - Throws: `.noDataset` for kinds that do not declare `usesDataset`.
    public func dataset() throws(PipelineError) -> StageDataset {
        guard let stageDataset else { throw .noDataset(SourceLocation(source: "stage \(stage)"), stage: stage, kind: kind) }
        return stageDataset
    }

    /// A generator seeded from the pipeline seed and `stream`, independent of other streams.
    public func random(_ stream: String) -> SeededGenerator {
        SeededGenerator(seed: seed).derived("\(kind)/\(stream)")
    }

    /// Per-item entries of this stage. Their namespace is the stage's key document without the
    /// named parameters and inputs: exclude what chooses the items (a count, the stage that
    /// sampled them) but not what an item's result depends on, so growing a count from 50 to 60
    /// computes 10 items.
    /// - Throws: `.invalidStageKind` for a name that is not a parameter or an input of the stage.
    public func items(excludingParameters: Set<String> = [], excludingInputs: Set<String> = []) throws(PipelineError) -> ItemCache {
        guard case .object(let document) = stageKey.document,
              case .object(let parameters)? = document["parameters"], case .object(let inputs)? = document["inputs"] else {
            throw .invalidStageKind(kind: kind, reason: "its key document is malformed")
        }
        for name in excludingParameters where parameters[name] == nil {
            throw .invalidStageKind(kind: kind, reason: "items exclude the parameter '\(name)', which the kind does not have")
        }
        for name in excludingInputs where inputs[name] == nil {
            throw .invalidStageKind(kind: kind, reason: "items exclude the input '\(name)', which stage '\(stage)' does not need")
        }
        let namespace = stageKey.itemNamespace(excludingParameters: excludingParameters, excludingInputs: excludingInputs)
        let cache = ItemCache(namespace: namespace, store: store, metadata: metadata, recompute: isForced)
        itemCaches.append(cache)
        return cache
    }

    /// Prints a message above the progress bars.
    public func log(_ message: String) {
        progress.note(message)
    }
}
