import Autodiff

/// A tensor with a name, as kept in state dicts and optimiser groups.
public struct NamedTensor {
    public let name: String
    public let tensor: Tensor

    public init(_ name: String, _ tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}

/// Anything that owns trainable parameters and persistent buffers.
///
/// Composite networks list their children's tensors under a prefix:
/// `conv.parameters.prefixed("block1.conv")`.
public protocol Layer: AnyObject {
    /// Trainable tensors, named relative to this layer.
    var parameters: [NamedTensor] { get }
    /// Persistent tensors that are not trained (running statistics), named relative to this layer.
    var buffers: [NamedTensor] { get }
}

extension Layer {
    public var buffers: [NamedTensor] { [] }

    /// Parameters and buffers together: everything a checkpoint must hold.
    public var state: [NamedTensor] { parameters + buffers }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }
}

extension Array where Element == NamedTensor {
    /// The same tensors with `prefix.` prepended to each name.
    public func prefixed(_ prefix: String) -> [NamedTensor] {
        map { NamedTensor("\(prefix).\($0.name)", $0.tensor) }
    }

    /// The tensors alone.
    public var tensors: [Tensor] { map(\.tensor) }
}
