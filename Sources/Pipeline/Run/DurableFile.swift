import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// fsync and rename for the pipeline's own atomic writes (checkpoints, result sets, links).
enum DurableFile {
    /// Flushes a file's or folder's contents to the storage device.
    static func sync(_ url: URL) throws(PipelineError) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(url) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(url) }
    }

    /// Renames `source` to `destination` atomically, replacing a file (or an empty folder) there.
    static func move(_ source: URL, to destination: URL) throws(PipelineError) {
        guard rename(source.path, destination.path) == 0 else { throw failure(source) }
    }

    /// Writes `text` to `url` (not atomically: callers write into a folder published later).
    static func write(_ text: String, to url: URL) throws(PipelineError) {
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw .writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    private static func failure(_ url: URL) -> PipelineError {
        .writeFailed(path: url.path, reason: String(cString: strerror(errno)))
    }
}
