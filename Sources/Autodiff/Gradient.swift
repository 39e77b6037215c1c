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

    /// A gradient of `count` elements; its buffer is allocated on first use.
    public init(count: Int) {
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

    /// Hands `body` the buffer for a contribution that covers every element, and whether the
    /// buffer is fresh. The first contribution gets a buffer that is not zeroed (`fresh` true),
    /// which `body` must overwrite entirely (y = v); later ones add (y += v). Adjoints that write
    /// every element of their input's gradient use this to save a zeroing pass over it.
    public func contribute(_ body: (_ buffer: UnsafeMutablePointer<Float>, _ fresh: Bool) -> Void) {
        if let storage { return body(storage, false) }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        storage = buffer
        body(buffer, true)
    }

    /// Adds `values` (one per element) to the gradient, writing them into a fresh buffer.
    public func add(_ values: UnsafePointer<Float>) {
        contribute { buffer, fresh in copy(values, into: buffer, count: count, accumulate: !fresh) }
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
