import Artifacts
import NN

extension HDF5Group {
    /// Writes every tensor of `state` as a float32 dataset named after it, and their order as the
    /// group's `order` attribute.
    public func write(_ state: StateDict) throws {
        try attributes.set("order", .strings(state.entries.map(\.name)))
        for entry in state.entries { try write(entry.name, entry.values, shape: entry.shape) }
    }

    /// Reads a state dict written by `write(_:)`.
    /// - Throws: `TrainingError.unreadableCheckpoint` when the group lists no tensor order, or the
    ///   `ArtifactError` of a missing or unreadable dataset.
    public func readStateDict() throws -> StateDict {
        guard case .strings(let names)? = try attributes.value("order") else {
            throw TrainingError.unreadableCheckpoint(path: file.url.path, reason: "group \(path) lists no tensor order")
        }
        return StateDict(entries: try names.map { name in
            let array = try read(name, as: Float.self)
            return StateDict.Entry(name: name, shape: array.shape, values: array.values)
        })
    }
}
