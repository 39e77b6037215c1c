/// Everything that can go wrong while reading or writing HDF5 files and the artifact store.
///
/// Each case carries the file (and, inside a file, the object path) it concerns, so that the
/// message alone tells a user what to look at.
public enum ArtifactError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An HDF5 library call failed. `reason` is the innermost message of HDF5's error stack.
    case hdf5(call: String, file: String, object: String, reason: String)
    /// The object exists but holds another type than the one asked for.
    case typeMismatch(file: String, object: String, expected: String, found: String)
    /// The number of values does not match the product of the shape.
    case shapeMismatch(file: String, object: String, shape: [Int], count: Int)
    /// No object or attribute of that name exists.
    case notFound(file: String, object: String)
    /// An object or attribute of that name exists already.
    case alreadyExists(file: String, object: String)
    /// The file was closed before the operation.
    case fileClosed(file: String)
    /// A name, key or argument is not acceptable; `reason` says what is expected.
    case invalidArgument(name: String, value: String, reason: String)
    /// Another writer holds the lock of this key.
    case locked(kind: String, key: String, lockFile: String)
    /// The lock of this key did not become free within the allowed time.
    case lockTimeout(kind: String, key: String, lockFile: String, seconds: Double)
    /// A file-system operation failed.
    case io(operation: String, path: String, reason: String)
    /// The writer was already committed or abandoned.
    case writerFinished(kind: String, key: String)

    public var description: String {
        switch self {
        case let .hdf5(call, file, object, reason):
            return "HDF5 call \(call) failed on '\(object)' in \(file): \(reason)."
        case let .typeMismatch(file, object, expected, found):
            return "'\(object)' in \(file) holds \(found), not the expected \(expected)."
        case let .shapeMismatch(file, object, shape, count):
            return "'\(object)' in \(file): shape \(shape) needs \(shape.reduce(1, *)) values but \(count) were given."
        case let .notFound(file, object):
            return "'\(object)' does not exist in \(file)."
        case let .alreadyExists(file, object):
            return "'\(object)' already exists in \(file); artifacts are written once."
        case let .fileClosed(file):
            return "\(file) was used after it was closed."
        case let .invalidArgument(name, value, reason):
            return "Invalid \(name) '\(value)': \(reason)."
        case let .locked(kind, key, lockFile):
            return "Artifact \(kind)/\(key) is being written by another run (lock \(lockFile) is held)."
        case let .lockTimeout(kind, key, lockFile, seconds):
            return "Artifact \(kind)/\(key) stayed locked by another run for \(seconds) s (lock \(lockFile))."
        case let .io(operation, path, reason):
            return "Could not \(operation) \(path): \(reason)."
        case let .writerFinished(kind, key):
            return "The writer of \(kind)/\(key) was already committed or abandoned."
        }
    }
}
