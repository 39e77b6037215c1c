import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a writer does when another run holds the lock of its key.
public enum ArtifactLockPolicy: Sendable, Equatable {
    /// Throw `ArtifactError.locked` at once.
    case failIfLocked
    /// Retry until the lock is free, then throw `ArtifactError.lockTimeout` after `seconds`.
    case wait(seconds: Double)
}

/// An exclusive `flock` on `<kind>/<key>.lock`, held by a writer from its creation to its commit.
///
/// `flock` belongs to an open file description, so it excludes other processes and other
/// writers in the same process alike, and the kernel drops it when a process dies. The lock
/// file stays on disk; `gc` removes it while holding it. A locker that opened the file before
/// such a removal notices the changed inode after locking and starts over.
final class KeyLock {
    let url: URL
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock according to `policy`.
    static func acquire(_ url: URL, kind: String, key: String, policy: ArtifactLockPolicy) throws(ArtifactError) -> KeyLock {
        if let lock = try attempt(url) { return lock }
        guard case .wait(let seconds) = policy else { throw .locked(kind: kind, key: key, lockFile: url.path) }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            usleep(50_000)
            if let lock = try attempt(url) { return lock }
        }
        throw .lockTimeout(kind: kind, key: key, lockFile: url.path, seconds: seconds)
    }

    /// Takes the lock if it is free right now; nil when another holder has it.
    static func attempt(_ url: URL) throws(ArtifactError) -> KeyLock? {
        while true {
            let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw FileSystem.failure("open the lock file", url) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let failure = errno
                close(descriptor)
                guard failure == EWOULDBLOCK else { throw FileSystem.failure("flock", url) }
                return nil
            }
            var held = stat(), current = stat()
            if fstat(descriptor, &held) == 0, stat(url.path, &current) == 0,
               held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                return KeyLock(url: url, descriptor: descriptor)
            }
            close(descriptor)  // the file was removed while we waited: lock its successor instead
        }
    }

    /// Whether another holder has the lock right now; a missing lock file means free. Creates nothing.
    static func isHeld(_ url: URL) throws(ArtifactError) -> Bool {
        let descriptor = open(url.path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            guard errno == ENOENT else { throw FileSystem.failure("open the lock file", url) }
            return false
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            guard errno == EWOULDBLOCK else { throw FileSystem.failure("flock", url) }
            return true
        }
        return false
    }

    /// Releases the lock. Calling it again does nothing.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
