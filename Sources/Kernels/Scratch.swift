import Synchronization

/// Runs `body` with a temporary, uninitialised Float buffer of `count` elements, aligned to a
/// cache line so that vector loops see the same alignment in every run.
@inline(__always)
public func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    defer { raw.deallocate() }
    return try body(raw.bindMemory(to: Float.self, capacity: max(count, 1)))
}

/// Runs `body` with a temporary Float buffer of `count` zeros.
@inline(__always)
public func withZeroedScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    try withScratch(count) { buffer in
        setZero(buffer, count: max(count, 1))
        return try body(buffer)
    }
}

/// Runs `body` with an uninitialised Float buffer of at least `count` elements from a pool kept
/// for the life of the process, for the tens of megabytes a Fourier convolution needs on every
/// call. Allocated anew each time, such buffers left holes in the heap that the activations
/// allocated in between could not fill: the peak of a reference SMASH step with the 2x2 op array
/// varied from 1.15 to 1.47 GB between identical runs; with the pool it was 1.07-1.08 GB. A
/// buffer too small for a request is replaced by one that fits.
func withPooledScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let buffer = ScratchPool.take(count)
    defer { ScratchPool.give(buffer) }
    return try body(buffer.pointer)
}

/// The free buffers of `withPooledScratch`, largest first.
private enum ScratchPool {
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>
        let capacity: Int
    }

    static let free = Mutex<[Buffer]>([])

    /// The smallest free buffer that holds `count` floats, else a new one in place of the largest.
    static func take(_ count: Int) -> Buffer {
        let found = free.withLock { buffers -> Buffer? in
            if let index = buffers.lastIndex(where: { $0.capacity >= count }) { return buffers.remove(at: index) }
            return buffers.isEmpty ? nil : buffers.removeFirst()
        }
        if let found, found.capacity >= count { return found }
        found?.pointer.deallocate()
        let capacity = max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Float>.stride, alignment: 64)
        return Buffer(pointer: raw.bindMemory(to: Float.self, capacity: capacity), capacity: capacity)
    }

    static func give(_ buffer: Buffer) {
        free.withLock { buffers in
            buffers.append(buffer)
            buffers.sort { $0.capacity > $1.capacity }
        }
    }
}
