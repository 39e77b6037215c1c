import CHDF5
import Foundation

/// Process-wide access to libhdf5.
///
/// libhdf5 may be built without thread safety, so every public operation of this module runs
/// inside `HDF5Library.run`, which holds one recursive lock. It also turns off HDF5's automatic
/// printing of error stacks to stderr (a per-thread setting in thread-safe builds such as
/// Debian's); failures surface as `ArtifactError`s carrying the stack's messages instead.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs `body` while holding the library lock.
    static func run<T>(_ body: () throws(ArtifactError) -> T) throws(ArtifactError) -> T {
        lock.lock()
        defer { lock.unlock() }
        H5Eset_auto2(smash_h5e_default(), nil, nil)
        return try body()
    }

    /// The descriptions on the current error stack, the most specific first, joined by "; ".
    static func errorStackMessage() -> String {
        var messages: [String] = []
        withUnsafeMutablePointer(to: &messages) { collected in
            _ = H5Ewalk2(smash_h5e_default(), H5E_WALK_UPWARD, { _, error, client in
                guard let error, let client, let description = error.pointee.desc else { return 0 }
                client.assumingMemoryBound(to: [String].self).pointee.append(String(cString: description))
                return 0
            }, collected)
        }
        let distinct = messages.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return distinct.isEmpty ? "no detail from HDF5" : distinct.prefix(2).joined(separator: "; ")
    }
}

/// Where an HDF5 operation happens: the file and the object path inside it. Turns failing
/// HDF5 return codes into `ArtifactError`s that name both.
struct HDF5Site {
    let file: String
    let object: String

    /// The error for a failed `call` at this site, with HDF5's own explanation.
    func failure(_ call: String) -> ArtifactError {
        .hdf5(call: call, file: file, object: object, reason: HDF5Library.errorStackMessage())
    }

    /// Returns the identifier, or throws when HDF5 signalled failure with a negative one.
    @discardableResult
    func check(_ id: hid_t, _ call: String) throws(ArtifactError) -> hid_t {
        guard id >= 0 else { throw failure(call) }
        return id
    }

    /// Throws when an HDF5 status (`herr_t`) is negative.
    func check(_ status: herr_t, _ call: String) throws(ArtifactError) {
        guard status >= 0 else { throw failure(call) }
    }

    /// Interprets an HDF5 tri-state (`htri_t`): true, false, or throws on failure.
    func truth(_ value: htri_t, _ call: String) throws(ArtifactError) -> Bool {
        guard value >= 0 else { throw failure(call) }
        return value > 0
    }

    /// The same file, another object.
    func at(_ object: String) -> HDF5Site {
        HDF5Site(file: file, object: object)
    }
}
