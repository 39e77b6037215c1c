import Kernels
import Randomness

/// A dense Float32 array with a shape, and optionally a gradient of the same shape.
///
/// Tensors are reference types: an operation reads its inputs' storage and writes a new output.
/// While a `Tape` is recording, an operation with an input that `requiresGrad` records how to push
/// gradients back; inputs that need no gradient cost no backward work. Parameters, and inputs
/// whose gradient is wanted (such as an architecture encoding), are tensors with `requiresGrad`.
public final class Tensor {
    /// The extent of each axis, outermost first (row-major, contiguous).
    public let shape: [Int]
    /// The number of elements, the product of `shape`.
    public let count: Int
    /// The elements, row-major. Owned by the tensor.
    public let data: UnsafeMutablePointer<Float>
    /// Whether backward passes compute this tensor's gradient.
    public let requiresGrad: Bool
    /// The tape this tensor's operation was recorded on, if any.
    public internal(set) weak var tape: Tape?
    private var gradientBox: Gradient?

    /// A tensor of `shape` whose elements are uninitialised. Operations use it for outputs they
    /// overwrite completely.
    public init(uninitializedShape shape: [Int], requiresGrad: Bool = false) {
        self.shape = shape
        count = shape.reduce(1, *)
        data = .allocate(capacity: max(count, 1))
        self.requiresGrad = requiresGrad
    }

    /// A tensor of `shape` filled with `value`.
    public convenience init(shape: [Int], repeating value: Float = 0, requiresGrad: Bool = false) {
        self.init(uninitializedShape: shape, requiresGrad: requiresGrad)
        data.initialize(repeating: value, count: count)
    }

    /// A tensor of `shape` holding `values` (row-major).
    /// - Throws: `TensorError.shapeMismatch` if `values.count` is not the product of `shape`.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) throws {
        let expected = shape.reduce(1, *)
        guard values.count == expected, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(operation: "Tensor(shape:values:)", expected: shape, found: [values.count])
        }
        self.init(uninitializedShape: shape, requiresGrad: requiresGrad)
        values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { data.initialize(from: base, count: count) }
        }
    }

    /// A tensor of independent normal samples with the given standard deviation.
    public static func randomNormal(shape: [Int], standardDeviation: Float = 1, using generator: inout SeededGenerator,
                                    requiresGrad: Bool = false) -> Tensor {
        let tensor = Tensor(uninitializedShape: shape, requiresGrad: requiresGrad)
        for i in 0..<tensor.count { tensor.data[i] = standardDeviation * generator.normal() }
        return tensor
    }

    /// A tensor of independent uniform samples in `[low, high)`.
    public static func randomUniform(shape: [Int], low: Float, high: Float, using generator: inout SeededGenerator,
                                     requiresGrad: Bool = false) -> Tensor {
        let tensor = Tensor(uninitializedShape: shape, requiresGrad: requiresGrad)
        for i in 0..<tensor.count { tensor.data[i] = generator.uniform(low, high) }
        return tensor
    }

    deinit {
        data.deallocate()
    }

    /// The gradient, created on first access; its buffer is allocated on first use.
    public var gradient: Gradient {
        if let gradientBox { return gradientBox }
        let box = Gradient(count: count)
        gradientBox = box
        return box
    }

    /// The gradient buffer, allocated and zeroed on first access.
    public var grad: UnsafeMutablePointer<Float> { gradient.pointer }

    /// Whether a gradient has been accumulated (or the buffer touched) since the last reset.
    public var hasGrad: Bool { gradientBox?.isAllocated ?? false }

    /// Sets the gradient to zero, keeping its buffer.
    public func zeroGrad() {
        gradientBox?.zero()
    }

    /// Drops the gradient buffer: `hasGrad` becomes false until a backward pass touches it again.
    /// Optimisers skip tensors without a gradient, so parameters unused in a step stay unchanged.
    public func clearGrad() {
        gradientBox?.release()
    }

    /// The elements as an array (a copy).
    public var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The gradient as an array (a copy; zeros if none was accumulated).
    public var gradValues: [Float] { gradientBox?.values ?? [Float](repeating: 0, count: count) }

    /// The single element of a one-element tensor, or the first element otherwise.
    public var scalar: Float { data[0] }

    /// Overwrites the elements with `values`.
    /// - Throws: `TensorError.shapeMismatch` if the counts differ.
    public func assign(_ values: [Float]) throws {
        guard values.count == count else {
            throw TensorError.shapeMismatch(operation: "assign", expected: shape, found: [values.count])
        }
        values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { data.update(from: base, count: count) }
        }
    }

    /// Overwrites the elements with those of a tensor of the same element count.
    public func assign(_ other: Tensor) throws {
        guard other.count == count else {
            throw TensorError.shapeMismatch(operation: "assign", expected: shape, found: other.shape)
        }
        data.update(from: other.data, count: count)
    }

    /// A copy of this tensor, recorded nowhere, with the given gradient requirement.
    public func detached(requiresGrad: Bool = false) -> Tensor {
        let copy = Tensor(uninitializedShape: shape, requiresGrad: requiresGrad)
        copy.data.initialize(from: data, count: count)
        return copy
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(\(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}
