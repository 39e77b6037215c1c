import Foundation

/// Replaces a file so that a reader, or a run killed at any moment, sees either the old file or
/// the complete new one: write a temporary file in the same folder, fsync it, rename it over the
/// destination, fsync the folder.
public enum AtomicFile {
    /// Calls `write` with a temporary path next to `destination`, then publishes what it wrote.
    /// The temporary file is removed when `write` or publishing fails.
    public static func replace(_ destination: URL, write: (URL) throws -> Void) throws {
        let folder = destination.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(getpid()).partial")
        do {
            try write(temporary)
            try publish(temporary, to: destination)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
    }

    /// Publishes a finished temporary file in the destination's folder: fsyncs it, renames it over
    /// `destination`, and fsyncs the folder so the rename itself is durable.
    public static func publish(_ temporary: URL, to destination: URL) throws(ArtifactError) {
        try FileSystem.sync(temporary)
        try FileSystem.moveAtomically(temporary, to: destination)
        try FileSystem.sync(destination.deletingLastPathComponent())
    }

    /// Writes `data` to `destination` atomically.
    public static func replace(_ destination: URL, with data: Data) throws {
        try replace(destination) { temporary in
            do {
                try data.write(to: temporary)
            } catch {
                throw ArtifactError.io(operation: "write", path: temporary.path, reason: error.localizedDescription)
            }
        }
    }
}
