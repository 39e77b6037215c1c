import Kernels

/// A tensor's gradient buffer, allocated and zeroed on first use.
///
/// Adjoints hold the gradients they read and accumulate into rather than the tensors, so a tensor
/// whose values the backward pass never reads (the output of an addition, a channel slice, a
/// convolution whose output only feeds a ReLU) is freed as soon as the forward pass is done with
/// it, while its gradient can still be filled in.
public final class Gradient {
    /// The number of elements, that of the tensor.
    public let count: Int
    private var storage: UnsafeMutablePointer<Float>?

    init(count: Int) {
        self.count = count
    }

    deinit {
        storage?.deallocate()
    }

    /// The buffer, allocated and zeroed on first access.
    public var pointer: UnsafeMutablePointer<Float> {
        if let storage { return storage }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        setZero(buffer, count: count)
        storage = buffer
        return buffer
    }

    /// Whether the buffer exists: something accumulated into it since the last `release`.
    public var isAllocated: Bool { storage != nil }

    /// Sets the gradient to zero, keeping the buffer.
    public func zero() {
        if let storage { setZero(storage, count: count) }
    }

    /// Frees the buffer; the next access starts again from zero.
    public func release() {
        storage?.deallocate()
        storage = nil
    }

    /// The elements as an array (zeros when there is no buffer).
    public var values: [Float] {
        storage.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [Float](repeating: 0, count: count)
    }
}
