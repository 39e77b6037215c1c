import Foundation

/// One file of the store and its state, as `status` reports it.
public struct ArtifactEntry: Sendable, Equatable {
    /// The stage kind (the folder name).
    public let kind: String
    /// The key (for item entries `namespace.item`).
    public let key: String
    /// The file.
    public let url: URL
    /// Whether the store would serve it, and if not why.
    public let state: ArtifactState
    /// What is wrong with it, or which process writes it; nil for complete entries.
    public let detail: String?
    /// Size on disk.
    public let bytes: Int64
    /// Last modification.
    public let modified: Date?

    /// The namespace part of an item key (`ns` in `ns.item`), nil for plain keys.
    public var namespace: String? { ArtifactStore.splitItemKey(key)?.namespace }
    /// The item part of an item key (`item` in `ns.item`), nil for plain keys.
    public var item: String? { ArtifactStore.splitItemKey(key)?.item }
}

/// The content-addressed artifact cache: `<root>/<kind>/<key>.h5`.
///
/// ```swift
/// let store = ArtifactStore.standard()                 // $SMASH_CACHE or ./.smash/cache
/// if let cached = try store.lookup(kind: "score", key: key) { return cached }
/// let writer = try store.writer(ArtifactMetadata(kind: "score", key: key, parameters: json, inputs: upstream))
/// try writer.root.write("scores", scores)
/// return try writer.commit()                           // atomic: temp file, fsync, rename
/// ```
/// Reading (`lookup`, `entry`, `status`) never takes a lock and never waits. A file is served only
/// when it carries the completion mark, names the requested kind and key, and every dataset reads
/// back (HDF5 verifies the Fletcher32 checksums). Per-item results of a stage use item keys
/// (`itemKey(namespace:item:)`), one file each, so that growing a stage reuses finished items.
public struct ArtifactStore: Sendable {
    /// The folder holding one subfolder per kind.
    public let root: URL

    /// A store rooted at `root` (created on the first write).
    public init(root: URL) {
        self.root = root
    }

    /// The store named by the environment variable `SMASH_CACHE`, else `.smash/cache` under
    /// `workingDirectory`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        -> ArtifactStore {
        if let override = environment["SMASH_CACHE"], !override.isEmpty {
            return ArtifactStore(root: URL(fileURLWithPath: override, relativeTo: workingDirectory).standardizedFileURL)
        }
        return ArtifactStore(root: workingDirectory.appendingPathComponent(".smash/cache", isDirectory: true))
    }

    /// The key of one item of a stage, `namespace.item`. The namespace is typically a hash of
    /// everything the item depends on except the item list itself, so that items survive a
    /// change of count; `gc(keeping:)` keeps all items of a kept namespace.
    public static func itemKey(namespace: String, item: String) throws(ArtifactError) -> String {
        for (name, value) in [("item namespace", namespace), ("item", item)] where !ArtifactNames.isToken(Substring(value)) {
            throw .invalidArgument(name: name, value: value, reason: "expected letters, digits, '_' or '-'")
        }
        return namespace + "." + item
    }

    /// The namespace and item of an item key, nil for a plain key.
    public static func splitItemKey(_ key: String) -> (namespace: String, item: String)? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Where the artifact `kind`/`key` lives (whether or not it exists).
    public func url(kind: String, key: String) throws(ArtifactError) -> URL {
        try ArtifactNames.checkKind(kind)
        try ArtifactNames.checkKey(key)
        return folder(kind).appendingPathComponent(ArtifactNames.finalName(key))
    }

    /// The complete, verified artifact `kind`/`key`, open read-only; nil when it is missing,
    /// incomplete or corrupt (`entry` says which). Throws only for malformed names.
    public func lookup(kind: String, key: String) throws(ArtifactError) -> Artifact? {
        let url = try url(kind: kind, key: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try? Artifact.inspect(url, kind: kind, key: key, readData: true).get()
    }

    /// The state of the artifact `kind`/`key`, or nil when no final file exists.
    /// With `verifyData: false` only the completion mark and the names are checked.
    public func entry(kind: String, key: String, verifyData: Bool = true) throws(ArtifactError) -> ArtifactEntry? {
        let url = try url(kind: kind, key: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return describe(url, kind: kind, key: key, writer: nil, verifyData: verifyData)
    }

    /// Every artifact and temporary file of the store (or of one kind), sorted by kind and key.
    public func status(kind: String? = nil, verifyData: Bool = true) throws(ArtifactError) -> [ArtifactEntry] {
        var kinds = try FileSystem.names(in: root).filter { (try? ArtifactNames.checkKind($0)) != nil }
        if let kind {
            try ArtifactNames.checkKind(kind)
            kinds = kinds.filter { $0 == kind }
        }
        var entries: [ArtifactEntry] = []
        for kind in kinds where FileSystem.isFolder(folder(kind)) {
            for name in try FileSystem.names(in: folder(kind)) {
                let url = folder(kind).appendingPathComponent(name)
                switch ArtifactNames.role(of: name) {
                case .final(let key):
                    entries.append(describe(url, kind: kind, key: key, writer: nil, verifyData: verifyData))
                case .temporary(let key, let pid):
                    entries.append(describe(url, kind: kind, key: key, writer: pid, verifyData: verifyData))
                case .lock, nil:
                    continue
                }
            }
        }
        return entries.sorted { ($0.kind, $0.key, $0.url.lastPathComponent) < ($1.kind, $1.key, $1.url.lastPathComponent) }
    }

    /// A writer for a new version of `metadata.kind`/`metadata.key`, holding the key's lock until
    /// it commits or is abandoned. Make it before the expensive work, so that two runs do not
    /// compute the same key; after waiting for a lock, `lookup` again, the other run may have
    /// finished the work.
    public func writer(_ metadata: ArtifactMetadata,
                       lock policy: ArtifactLockPolicy = .failIfLocked) throws(ArtifactError) -> ArtifactWriter {
        let destination = try url(kind: metadata.kind, key: metadata.key)
        try metadata.checkParameters()
        let folder = destination.deletingLastPathComponent()
        try FileSystem.makeFolder(folder)
        let lock = try KeyLock.acquire(lockURL(kind: metadata.kind, key: metadata.key),
                                       kind: metadata.kind, key: metadata.key, policy: policy)
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = folder.appendingPathComponent(ArtifactNames.temporaryName(metadata.key, pid: pid))
        return try ArtifactWriter(metadata: metadata, temporary: temporary, destination: destination, lock: lock)
    }

    /// The folder of one kind.
    func folder(_ kind: String) -> URL {
        root.appendingPathComponent(kind, isDirectory: true)
    }

    /// The lock file of `kind`/`key`.
    func lockURL(kind: String, key: String) -> URL {
        folder(kind).appendingPathComponent(ArtifactNames.lockName(key))
    }

    /// An entry for a final file, or for the temporary file of process `writer`.
    private func describe(_ url: URL, kind: String, key: String, writer: Int32?, verifyData: Bool) -> ArtifactEntry {
        let (bytes, modified) = FileSystem.size(url)
        let state: ArtifactState
        let detail: String?
        if let writer {
            (state, detail) = (.temporary, "written by process \(writer)")
        } else {
            switch Artifact.inspect(url, kind: kind, key: key, readData: verifyData) {
            case .success: (state, detail) = (.complete, nil)
            case .failure(let problem): (state, detail) = (problem.state, problem.detail)
            }
        }
        return ArtifactEntry(kind: kind, key: key, url: url, state: state, detail: detail, bytes: bytes, modified: modified)
    }
}
