import CHDF5
import Foundation

/// An open HDF5 file.
///
/// ```swift
/// let file = try HDF5File.create(at: url)
/// try file.root.write("weights", values, shape: [3, 4])
/// try file.root.attributes.set("note", .string("first try"))
/// try file.close()
///
/// let again = try HDF5File.open(at: url)
/// let weights = try again.root.read("weights", as: Float.self)   // shape [3, 4]
/// ```
/// The file closes when `close()` is called or, failing that, when the object is released.
/// Groups and attribute views keep their file open while they are in use.
public final class HDF5File {
    /// How a file is opened.
    public enum Mode: Sendable {
        case readOnly, readWrite
    }

    /// Where the file lives.
    public let url: URL
    /// The mode the file was opened in.
    public let mode: Mode
    private var id: hid_t

    private init(url: URL, mode: Mode, id: hid_t) {
        self.url = url
        self.mode = mode
        self.id = id
    }

    deinit {
        if id >= 0 { _ = try? close() }
    }

    /// Creates a new file at `url`, replacing any file already there, open for reading and writing.
    public static func create(at url: URL) throws(ArtifactError) -> HDF5File {
        try HDF5Library.run { () throws(ArtifactError) -> HDF5File in
            let site = HDF5Site(file: url.path, object: "/")
            let access = try fileAccessList(site)
            defer { H5Pclose(access) }
            let id = try site.check(H5Fcreate(url.path, smash_h5f_acc_trunc(), smash_h5p_default(), access), "H5Fcreate")
            return HDF5File(url: url, mode: .readWrite, id: id)
        }
    }

    /// Opens an existing file.
    public static func open(at url: URL, mode: Mode = .readOnly) throws(ArtifactError) -> HDF5File {
        try HDF5Library.run { () throws(ArtifactError) -> HDF5File in
            let site = HDF5Site(file: url.path, object: "/")
            guard FileManager.default.fileExists(atPath: url.path) else { throw .notFound(file: url.path, object: "/") }
            let access = try fileAccessList(site)
            defer { H5Pclose(access) }
            let flags = mode == .readOnly ? smash_h5f_acc_rdonly() : smash_h5f_acc_rdwr()
            let id = try site.check(H5Fopen(url.path, flags, access), "H5Fopen")
            return HDF5File(url: url, mode: mode, id: id)
        }
    }

    /// The root group `/`.
    public var root: HDF5Group { HDF5Group(file: self, path: "/") }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { id >= 0 }

    /// Writes all buffered data and metadata to the operating system.
    public func flush() throws(ArtifactError) {
        try HDF5Library.run { () throws(ArtifactError) in
            let site = HDF5Site(file: url.path, object: "/")
            try site.check(H5Fflush(try identifier(), H5F_SCOPE_GLOBAL), "H5Fflush")
        }
    }

    /// Closes the file. Calling it again does nothing.
    public func close() throws(ArtifactError) {
        try HDF5Library.run { () throws(ArtifactError) in
            guard id >= 0 else { return }
            let status = H5Fclose(id)
            id = -1
            try HDF5Site(file: url.path, object: "/").check(status, "H5Fclose")
        }
    }

    /// The HDF5 identifier, or `fileClosed` after `close()`.
    func identifier() throws(ArtifactError) -> hid_t {
        guard id >= 0 else { throw .fileClosed(file: url.path) }
        return id
    }

    /// File access settings: closing a file closes every object still open in it, and HDF5's own
    /// file locks are off. The artifact store and checkpoints already serialise writers with lock
    /// files and publish by atomic rename, and HDF5's locks refused readers for as long as any
    /// handle of a just-written file lingered ("unable to lock file, errno = 11").
    private static func fileAccessList(_ site: HDF5Site) throws(ArtifactError) -> hid_t {
        let access = try site.check(H5Pcreate(smash_h5p_file_access()), "H5Pcreate(file access)")
        guard H5Pset_fclose_degree(access, H5F_CLOSE_STRONG) >= 0 else {
            let error = site.failure("H5Pset_fclose_degree")
            H5Pclose(access)
            throw error
        }
        guard H5Pset_file_locking(access, false, true) >= 0 else {
            let error = site.failure("H5Pset_file_locking")
            H5Pclose(access)
            throw error
        }
        return access
    }
}
