import Foundation

/// Writes one artifact into a temporary file next to its final place, then publishes it atomically.
///
/// Made by `ArtifactStore.writer(_:lock:)`, which holds the key's lock. Fill `root` with datasets
/// and attributes, then call `commit()`: it writes `smash.seconds` and the completion mark, flushes,
/// closes and fsyncs the file, renames it to `<kind>/<key>.h5` and fsyncs the folder. A writer
/// released without a commit removes its temporary file; one killed mid-write leaves it for `gc`.
public final class ArtifactWriter {
    /// The identity written to the root attributes.
    public let metadata: ArtifactMetadata
    /// The temporary file being filled.
    public let file: HDF5File
    /// Where `commit` puts the file.
    public let destination: URL
    private let started = Date()
    private var lock: KeyLock?

    /// The root group to fill.
    public var root: HDF5Group { file.root }

    init(metadata: ArtifactMetadata, temporary: URL, destination: URL, lock: KeyLock) throws(ArtifactError) {
        self.metadata = metadata
        self.destination = destination
        self.lock = lock
        file = try HDF5File.create(at: temporary)
        do {
            try metadata.writeIdentity(to: file.root)
        } catch {
            abandon()
            throw error
        }
    }

    deinit { abandon() }

    /// Publishes the artifact and releases the lock. `seconds` defaults to the time since the
    /// writer was made. Returns the artifact reopened read-only.
    @discardableResult
    public func commit(seconds: Double? = nil) throws(ArtifactError) -> Artifact {
        guard lock != nil else { throw .writerFinished(kind: metadata.kind, key: metadata.key) }
        let temporary = file.url
        do {
            try metadata.writeCompletion(seconds: seconds ?? Date().timeIntervalSince(started), to: file.root)
            try file.flush()
            try file.close()
            try AtomicFile.publish(temporary, to: destination)
        } catch {
            abandon()
            throw error
        }
        lock?.release()
        lock = nil
        let reopened = try HDF5File.open(at: destination)
        return Artifact(url: destination, metadata: try ArtifactMetadata(reading: reopened.root), file: reopened)
    }

    /// Drops the work: closes and removes the temporary file and releases the lock.
    /// Does nothing after `commit`.
    public func abandon() {
        guard let lock else { return }
        _ = try? file.close()
        _ = try? FileSystem.remove(file.url)
        lock.release()
        self.lock = nil
    }
}
