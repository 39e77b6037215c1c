/// Runs `body` with a temporary, uninitialised Float buffer of `count` elements.
@inline(__always)
public func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    defer { buffer.deallocate() }
    return try body(buffer)
}

/// Runs `body` with a temporary Float buffer of `count` zeros.
@inline(__always)
public func withZeroedScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    try withScratch(count) { buffer in
        buffer.initialize(repeating: 0, count: max(count, 1))
        return try body(buffer)
    }
}
