import Foundation

/// The state of a file in the store.
public enum ArtifactState: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Has the completion mark, matches its name and every dataset reads back (checksums pass).
    case complete
    /// Lacks the completion mark: a write that never finished.
    case incomplete
    /// Cannot be opened, holds another key, or a dataset fails to read (a checksum mismatch).
    case corrupt
    /// A writer's temporary file: in progress, or abandoned by a run that died.
    case temporary

    public var description: String { rawValue }
}

/// A complete artifact, open read-only. Served by `ArtifactStore.lookup` and returned by `commit`.
public final class Artifact {
    /// Where the file lives.
    public let url: URL
    /// The `smash.*` root attributes.
    public let metadata: ArtifactMetadata
    /// The open file; closes when the artifact is released or `close()` is called.
    public let file: HDF5File

    /// The root group, where a stage keeps its datasets.
    public var root: HDF5Group { file.root }

    init(url: URL, metadata: ArtifactMetadata, file: HDF5File) {
        self.url = url
        self.metadata = metadata
        self.file = file
    }

    /// Closes the file now rather than on release.
    public func close() throws(ArtifactError) {
        try file.close()
    }

    /// Why a file cannot be served.
    struct Problem: Error {
        let state: ArtifactState
        let detail: String
    }

    /// Opens the file at `url` read-only and checks that it is a complete artifact for `kind`/`key`;
    /// with `readData`, also reads every dataset so that HDF5 verifies the checksums.
    static func inspect(_ url: URL, kind: String, key: String, readData: Bool) -> Result<Artifact, Problem> {
        let file: HDF5File
        do {
            file = try HDF5File.open(at: url)
        } catch {
            return .failure(Problem(state: .corrupt, detail: error.description))
        }
        do {
            guard try file.root.attributes.value(ArtifactMetadata.Attribute.complete) == .int(1) else {
                return .failure(Problem(state: .incomplete, detail: "no completion mark '\(ArtifactMetadata.Attribute.complete)'"))
            }
            let metadata = try ArtifactMetadata(reading: file.root)
            guard metadata.kind == kind, metadata.key == key else {
                return .failure(Problem(state: .corrupt, detail: "holds \(metadata.kind)/\(metadata.key), not \(kind)/\(key)"))
            }
            if readData { try readEveryDataset(file.root, depth: 0) }
            return .success(Artifact(url: url, metadata: metadata, file: file))
        } catch {
            return .failure(Problem(state: .corrupt, detail: error.description))
        }
    }

    /// Reads each dataset below `group`; a failed read (such as a checksum error) throws.
    private static func readEveryDataset(_ group: HDF5Group, depth: Int) throws(ArtifactError) {
        guard depth < 64 else {
            throw .invalidArgument(name: "group", value: group.path, reason: "groups nest deeper than 64 levels")
        }
        for member in try group.members() {
            switch member.kind {
            case .dataset: try group.readAllValues(try group.absolute(member.name))
            case .group: try readEveryDataset(try group.group(member.name), depth: depth + 1)
            case .other: continue
            }
        }
    }
}
