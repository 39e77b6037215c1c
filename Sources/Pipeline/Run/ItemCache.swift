import Artifacts

/// Per-item entries of a stage: one artifact per item id (an architecture hash, a seed...), so a
/// kill loses at most the item in progress and growing a count computes only the new items.
///
/// Made by `StageContext.items(...)`. Entries live in the store as `<kind>/<namespace>.<item>.h5`
/// and are written atomically like any artifact.
public final class ItemCache {
    /// The namespace shared by this stage's items (see `StageContext.items`).
    public let namespace: String
    /// Items served from the cache during this run.
    public private(set) var hits = 0
    /// Items computed during this run.
    public private(set) var computed = 0
    private let store: ArtifactStore
    private let metadata: ArtifactMetadata
    private let recompute: Bool
    private var recomputed = Set<String>()

    init(namespace: String, store: ArtifactStore, metadata: ArtifactMetadata, recompute: Bool) {
        self.namespace = namespace
        self.store = store
        self.metadata = metadata
        self.recompute = recompute
    }

    /// Whether a complete entry for `item` exists (and would be served).
    public func contains(_ item: String) throws(PipelineError) -> Bool {
        guard !recompute || recomputed.contains(item) else { return false }
        do {
            return try store.entry(kind: metadata.kind, key: try ArtifactStore.itemKey(namespace: namespace, item: item),
                                   verifyData: false)?.state == .complete
        } catch {
            throw .cache(error)
        }
    }

    /// The entry of `item`: served from the cache when complete, else computed by `compute`
    /// (which fills the entry's root group) and committed atomically. The artifact is open
    /// read-only; release it (or `close()` it) when read.
    /// - Parameter item: letters, digits, `_` and `-`, at most 135 characters.
    public func artifact(for item: String, compute: (HDF5Group) throws -> Void) throws -> Artifact {
        let key = try ArtifactStore.itemKey(namespace: namespace, item: item)
        if !recompute || recomputed.contains(item), let cached = try store.lookup(kind: metadata.kind, key: key) {
            hits += 1
            return cached
        }
        var itemMetadata = metadata
        itemMetadata.key = key
        let writer = try store.writer(itemMetadata)
        try compute(writer.root)
        let artifact = try writer.commit()
        recomputed.insert(item)
        computed += 1
        return artifact
    }
}
