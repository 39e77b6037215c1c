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
        buffer.initialize(repeating: 0, count: max(count, 1))
        return try body(buffer)
    }
}
