import Artifacts
import Foundation

/// The checkpoint of a long stage: one HDF5 file in `<state>/checkpoints/<kind>/<key>/`,
/// replaced atomically by each `save`, read by `load` when a killed run is resumed, and removed
/// by the runner once the stage's artifact is committed.
///
/// ```swift
/// var epoch = 0
/// if let file = try context.checkpoint.load() {
///     epoch = Int(try file.root.attributes.int("epoch"))
///     ... restore weights and optimizer state from file.root ...
/// }
/// for e in epoch..<epochs {
///     ... train one epoch ...
///     try context.checkpoint.save { group in
///         try group.attributes.set("epoch", .int(Int64(e + 1)))
///         ... write weights and optimizer state ...
///     }
/// }
/// ```
public struct Checkpoint: Sendable {
    /// The stage's checkpoint folder (created by the first `save`).
    public let folder: URL

    /// The checkpoint file.
    public var url: URL { folder.appendingPathComponent("checkpoint.h5") }

    /// The last saved checkpoint, open read-only; nil when none was saved.
    public func load() throws(ArtifactError) -> HDF5File? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try HDF5File.open(at: url)
    }

    /// Writes a new checkpoint with `fill`, then replaces the previous one atomically (temporary
    /// file, fsync, rename), so a kill at any moment leaves the previous or the new checkpoint.
    public func save(_ fill: (HDF5Group) throws -> Void) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.replace(url) { temporary in
            let file = try HDF5File.create(at: temporary)
            try fill(file.root)
            try file.close()
        }
    }

    /// Removes the folder and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether a checkpoint was saved.
    var exists: Bool { FileManager.default.fileExists(atPath: url.path) }
}
