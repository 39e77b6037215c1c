import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The POSIX calls the store needs for durable, atomic writes, with `ArtifactError`s on failure.
enum FileSystem {
    /// Flushes a file's (or a folder's) contents to the storage device.
    static func sync(_ url: URL) throws(ArtifactError) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open for fsync", url) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", url) }
    }

    /// Renames `source` to `destination` atomically, replacing any file there.
    static func moveAtomically(_ source: URL, to destination: URL) throws(ArtifactError) {
        guard rename(source.path, destination.path) == 0 else { throw failure("rename to \(destination.path)", source) }
    }

    /// Removes a file; a file that is already gone is fine.
    static func remove(_ url: URL) throws(ArtifactError) {
        guard unlink(url.path) == 0 || errno == ENOENT else { throw failure("remove", url) }
    }

    /// Creates a folder and its parents.
    static func makeFolder(_ url: URL) throws(ArtifactError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "create the folder", path: url.path, reason: error.localizedDescription)
        }
    }

    /// The names in a folder, sorted; empty when the folder does not exist.
    static func names(in url: URL) throws(ArtifactError) -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        } catch {
            throw .io(operation: "list", path: url.path, reason: error.localizedDescription)
        }
    }

    /// Whether `url` is a folder.
    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Size in bytes and modification time of a file.
    static func size(_ url: URL) -> (bytes: Int64, modified: Date?) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let bytes = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        return (bytes, attributes?[.modificationDate] as? Date)
    }

    /// The error for a failed call, with the `errno` text.
    static func failure(_ operation: String, _ url: URL) -> ArtifactError {
        .io(operation: operation, path: url.path, reason: String(cString: strerror(errno)))
    }
}
