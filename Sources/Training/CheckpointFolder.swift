import Artifacts
import Foundation

/// The folder a run keeps its checkpoint in: `checkpoint.h5` (the state after the last finished
/// epoch, replaced atomically every epoch) and `history.json` (the per-epoch records, for people
/// and plots).
public struct CheckpointFolder: Sendable {
    /// The folder.
    public let url: URL

    /// A checkpoint folder at `url`; it is created on the first save.
    public init(_ url: URL) {
        self.url = url
    }

    /// The checkpoint file.
    public var checkpointURL: URL { url.appendingPathComponent("checkpoint.h5") }
    /// The history file.
    public var historyURL: URL { url.appendingPathComponent("history.json") }

    /// Whether the folder holds a checkpoint.
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpointURL.path) }

    /// Writes `checkpoint` and its history, each atomically (temporary file, fsync, rename).
    public func save(_ checkpoint: TrainingCheckpoint) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.io(operation: "create the checkpoint folder", path: url.path, reason: error.localizedDescription)
        }
        try AtomicFile.replace(checkpointURL) { temporary in
            do {
                let file = try HDF5File.create(at: temporary)
                try checkpoint.write(to: file)
                try file.flush()
                try file.close()
            } catch let error as ArtifactError {
                throw TrainingError.io(operation: "write the checkpoint", path: temporary.path, reason: error.description)
            }
        }
        try AtomicFile.replace(historyURL, with: try checkpoint.history.json())
    }

    /// The saved checkpoint, or nil when the folder holds none.
    public func load() throws -> TrainingCheckpoint? {
        guard hasCheckpoint else { return nil }
        let file: HDF5File
        do {
            file = try HDF5File.open(at: checkpointURL)
        } catch {
            throw TrainingError.unreadableCheckpoint(path: checkpointURL.path, reason: error.description)
        }
        defer { _ = try? file.close() }
        return try TrainingCheckpoint.read(from: file)
    }

    /// Removes the checkpoint and history, to start over.
    public func clear() throws {
        for file in [checkpointURL, historyURL] where FileManager.default.fileExists(atPath: file.path) {
            do {
                try FileManager.default.removeItem(at: file)
            } catch {
                throw TrainingError.io(operation: "remove", path: file.path, reason: error.localizedDescription)
            }
        }
    }
}
