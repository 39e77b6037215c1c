import Autodiff

/// Named tensors copied out of a model or optimiser, for checkpoints: an ordered list of
/// (name, shape, values).
public struct StateDict: Equatable, Codable, Sendable {
    public struct Entry: Equatable, Codable, Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// A snapshot of the tensors' current values.
    public init(_ tensors: [NamedTensor]) {
        entries = tensors.map { Entry(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.values) }
    }

    /// Copies the saved values into `tensors`, matched by name.
    /// - Throws: `StateDictError` when a tensor has no entry, an entry has no tensor, or shapes
    ///   differ (naming both shapes). Nothing is written unless every tensor matches.
    public func load(into tensors: [NamedTensor]) throws(StateDictError) {
        var byName: [String: Entry] = [:]
        for entry in entries {
            guard byName.updateValue(entry, forKey: entry.name) == nil else { throw .duplicate(name: entry.name) }
        }
        for target in tensors {
            guard let entry = byName[target.name] else { throw .missing(name: target.name) }
            guard entry.shape == target.tensor.shape, entry.values.count == target.tensor.count else {
                throw .shapeMismatch(name: target.name, expected: target.tensor.shape, found: entry.shape)
            }
        }
        let wanted = Set(tensors.map(\.name))
        if let extra = entries.first(where: { !wanted.contains($0.name) }) { throw .unexpected(name: extra.name) }
        for target in tensors {
            if let entry = byName[target.name] {
                entry.values.withUnsafeBufferPointer { buffer in
                    if let base = buffer.baseAddress { target.tensor.data.update(from: base, count: target.tensor.count) }
                }
            }
        }
    }
}

/// Errors raised when a state dict does not fit the tensors it is loaded into.
public enum StateDictError: Error, Equatable, CustomStringConvertible {
    case missing(name: String)
    case unexpected(name: String)
    case duplicate(name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missing(let name): "the checkpoint has no tensor named '\(name)'"
        case .unexpected(let name): "the checkpoint holds '\(name)', which the model does not have"
        case .duplicate(let name): "the checkpoint holds '\(name)' twice"
        case .shapeMismatch(let name, let expected, let found):
            "tensor '\(name)' has shape \(found) in the checkpoint but \(expected) in the model"
        }
    }
}
