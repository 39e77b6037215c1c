import Artifacts
import Foundation
import SMASH

/// Architectures read for `smash architecture`: from a JSON file (one architecture or an array of
/// them) or from the architecture list of a stage artifact (`sample`, `score`, `select`,
/// `perturb`), optionally narrowed to the ids that start with a prefix.
public enum ArchitectureListing {
    /// The architectures in the file at `path` whose id starts with `prefix` (all when empty),
    /// each with its id.
    /// - Throws: `PipelineError.unreadable` naming the file and what is wrong with it.
    public static func read(_ path: String, idPrefix prefix: String = "") throws(PipelineError) -> [(id: String, architecture: Architecture)] {
        let url = URL(fileURLWithPath: path)
        let architectures: [Architecture]
        do {
            architectures = path.hasSuffix(".h5") ? try fromArtifact(url) : try fromJSON(url)
        } catch let error as PipelineError {
            if case .stageFailed(_, _, let reason) = error { throw .unreadable(path: path, reason: reason) }
            throw error
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        let found = architectures.map { (id: ArchitectureList.id($0), architecture: $0) }.filter { $0.id.hasPrefix(prefix.lowercased()) }
        guard !found.isEmpty else {
            throw .unreadable(path: path, reason: prefix.isEmpty ? "it holds no architecture"
                              : "no architecture id starts with '\(prefix)' (ids: \(architectures.prefix(8).map(ArchitectureList.id).joined(separator: ", ")))")
        }
        return found
    }

    private static func fromJSON(_ url: URL) throws -> [Architecture] {
        let data = try Data(contentsOf: url)
        guard let elements = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else { return [try Architecture.decode(json: data)] }
        return try elements.enumerated().map { index, element in
            do {
                return try Architecture.decode(json: try JSONSerialization.data(withJSONObject: element))
            } catch {
                throw PipelineError.unreadable(path: url.path, reason: "element [\(index)]: \(error)")
            }
        }
    }

    private static func fromArtifact(_ url: URL) throws -> [Architecture] {
        let file = try HDF5File.open(at: url)
        defer { try? file.close() }
        let kind = (try? file.root.attributes.string(ArtifactMetadata.Attribute.kind)) ?? "artifact"
        guard try file.root.contains(ResultStorage.dataGroup) else {
            throw PipelineError.unreadable(path: url.path, reason: "it is not a stage artifact (no \(ResultStorage.dataGroup) group)")
        }
        return try ArchitectureList.read(from: try file.root.group(ResultStorage.dataGroup), stage: url.lastPathComponent, kind: kind)
            .architectures
    }
}
