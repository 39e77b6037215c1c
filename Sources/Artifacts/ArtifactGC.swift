import Foundation

/// What `ArtifactStore.gc` did, or with `dryRun` would do.
public struct ArtifactGCReport: Sendable, Equatable {
    /// Whether nothing was actually removed.
    public let dryRun: Bool
    /// Files removed: unreferenced complete artifacts, incomplete and corrupt ones, abandoned
    /// temporary files. Each entry's `state` says which.
    public let removed: [ArtifactEntry]
    /// Complete artifacts whose key (or item namespace) was in the keep set.
    public let kept: [ArtifactEntry]
    /// Files left alone because a running writer holds their key's lock.
    public let inUse: [ArtifactEntry]
    /// Lock files removed because no writer held them.
    public let removedLockFiles: [URL]

    /// Bytes removed (or that would be).
    public var freedBytes: Int64 { removed.reduce(0) { $0 + $1.bytes } }
}

extension ArtifactStore {
    /// Removes every file no one needs: complete artifacts whose key is not in `keeping` (an item
    /// entry is also kept when its namespace is), incomplete, corrupt and temporary files, and
    /// unheld lock files. Files whose key a running writer has locked are left alone. With
    /// `dryRun`, reports the same without removing anything. Verifies every dataset of every file.
    public func gc(keeping: Set<String>, dryRun: Bool) throws(ArtifactError) -> ArtifactGCReport {
        var removed: [ArtifactEntry] = [], kept: [ArtifactEntry] = [], inUse: [ArtifactEntry] = []
        for entry in try status() {
            if entry.state == .complete, keeping.contains(entry.key) || entry.namespace.map(keeping.contains) == true {
                kept.append(entry)
                continue
            }
            if try remove(entry.url, unlessLocked: lockURL(kind: entry.kind, key: entry.key), dryRun: dryRun) {
                removed.append(entry)
            } else {
                inUse.append(entry)
            }
        }
        return ArtifactGCReport(dryRun: dryRun, removed: removed, kept: kept, inUse: inUse,
                                removedLockFiles: try removeFreeLockFiles(dryRun: dryRun))
    }

    /// Removes the lock files no writer holds; returns them.
    private func removeFreeLockFiles(dryRun: Bool) throws(ArtifactError) -> [URL] {
        var removed: [URL] = []
        for kind in try FileSystem.names(in: root) where (try? ArtifactNames.checkKind(kind)) != nil {
            for name in try FileSystem.names(in: folder(kind)) {
                guard case .lock(let key)? = ArtifactNames.role(of: name) else { continue }
                let url = lockURL(kind: kind, key: key)
                if try remove(url, unlessLocked: url, dryRun: dryRun) { removed.append(url) }
            }
        }
        return removed
    }

    /// Removes `file` while holding the lock `lock`; false (and nothing removed) when another
    /// holder has it. A dry run only tests the lock, creating no lock file.
    private func remove(_ file: URL, unlessLocked lock: URL, dryRun: Bool) throws(ArtifactError) -> Bool {
        if dryRun { return try !KeyLock.isHeld(lock) }
        guard let held = try KeyLock.attempt(lock) else { return false }
        defer { held.release() }
        try FileSystem.remove(file)
        return true
    }
}
