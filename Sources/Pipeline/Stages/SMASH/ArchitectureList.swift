import Artifacts
import Foundation
import SMASH

/// A list of architectures passed between stages: `sample`, `score`, `select` and `perturb` each
/// write one into their artifact (`architectures`: canonical JSON, `architecture_ids`), and the
/// stages downstream of them read it.
struct ArchitectureList {
    /// The kinds whose artifacts hold a list.
    static let producerKinds: Set<String> = ["sample", "score", "select", "perturb"]
    /// Characters of the architecture hash used as its id in tables and item names.
    static let idLength = 12

    var architectures: [Architecture]

    /// The short id of an architecture: the first characters of its hash.
    static func id(_ architecture: Architecture) -> String {
        String(architecture.hash.prefix(idLength))
    }

    var ids: [String] { architectures.map(Self.id) }

    /// Writes the list into `group`.
    func write(to group: HDF5Group) throws {
        try group.write("architectures", architectures.map(\.canonicalJSON))
        try group.write("architecture_ids", ids)
    }

    /// The list stored in `group`.
    /// - Throws: `PipelineError.stageFailed` naming `stage` when the list is missing or an entry
    ///   is not a valid architecture.
    static func read(from group: HDF5Group, stage: String, kind: String) throws -> ArchitectureList {
        guard try group.contains("architectures") else {
            throw PipelineError.stageFailed(stage: stage, kind: kind, reason: "its artifact holds no architecture list")
        }
        let texts = try group.read("architectures", as: String.self).values
        return ArchitectureList(architectures: try texts.enumerated().map { index, text in
            do {
                return try Architecture.decode(json: Data(text.utf8))
            } catch {
                throw PipelineError.stageFailed(stage: stage, kind: kind, reason: "architecture \(index) of its list: \(error)")
            }
        })
    }

    /// The architectures of every upstream stage that produces a list, concatenated in `needs`
    /// order without repeats.
    static func read(from inputs: StageInputs) throws -> ArchitectureList {
        var seen = Set<String>()
        var architectures: [Architecture] = []
        for input in inputs.all where producerKinds.contains(input.kind) {
            for architecture in try read(from: try input.data(), stage: input.stage, kind: input.kind).architectures
            where seen.insert(architecture.hash).inserted {
                architectures.append(architecture)
            }
        }
        return ArchitectureList(architectures: architectures)
    }

    /// The names of `inputs` that produce lists; item namespaces leave them out, so an
    /// architecture's cached result survives a change of where it came from.
    static func sourceStages(in inputs: StageInputs) -> Set<String> {
        Set(inputs.all.filter { producerKinds.contains($0.kind) }.map(\.stage))
    }
}
