import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The workspace-wide lock between runs and `gc`: runs hold it shared, so several may run at
/// once; `gc` takes it alone, so it never removes what a running pipeline has just computed but
/// not yet referenced from a result set. Released when the value is released or the process dies.
final class RunLock {
    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The shared lock of a run.
    /// - Throws: `.busy` while `gc` runs.
    static func shared(_ url: URL) throws(PipelineError) -> RunLock {
        try take(url, LOCK_SH, busy: "gc is removing cache entries; run again when it has finished")
    }

    /// The exclusive lock of `gc`.
    /// - Throws: `.busy` while a run is in progress.
    static func exclusive(_ url: URL) throws(PipelineError) -> RunLock {
        try take(url, LOCK_EX, busy: "a pipeline run is in progress; gc would remove what it has computed so far")
    }

    private static func take(_ url: URL, _ operation: Int32, busy: String) throws(PipelineError) -> RunLock {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: url.deletingLastPathComponent().path, reason: error.localizedDescription)
        }
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: url.path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, operation | LOCK_NB) == 0 else {
            let failure = errno
            close(descriptor)
            if failure == EWOULDBLOCK { throw .busy(path: url.path, reason: busy) }
            throw .writeFailed(path: url.path, reason: String(cString: strerror(failure)))
        }
        return RunLock(descriptor: descriptor)
    }
}
