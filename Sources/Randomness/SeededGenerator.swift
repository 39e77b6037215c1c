import Foundation

/// The one random generator of smash-swift: xoshiro256** seeded through SplitMix64.
///
/// Every random choice in the project (weight init, data shuffling, augmentation, architecture
/// sampling) draws from a `SeededGenerator`, so a run is reproducible from its seed. All helpers
/// are implemented here rather than through the standard library's `random(in:using:)`, whose
/// algorithms are not guaranteed to stay the same across Swift versions.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The four words of xoshiro256** state. Saved in checkpoints to resume a stream exactly.
    public private(set) var state: [UInt64]

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        state = (0..<4).map { _ in SeededGenerator.splitMix64(&splitMix) }
    }

    /// Restores a generator from a saved `state`.
    /// - Throws: `RandomnessError.invalidState` unless `state` holds four words, not all zero.
    public init(state: [UInt64]) throws(RandomnessError) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else {
            throw .invalidState(count: state.count)
        }
        self.state = state
    }

    /// An independent generator for a named sub-task, derived from this generator's current state
    /// without advancing it. The same parent and label always give the same child.
    public func derived(_ label: String) -> SeededGenerator {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the label's UTF-8 bytes
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return SeededGenerator(seed: state[0] ^ state[2] &+ hash)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotateLeft(state[3], 45)
        return result
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's method). `bound` must be > 0.
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "int(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform `Float` in `[0, 1)` with 24 random bits.
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform `Float` in `[low, high)`.
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// A standard normal sample (Box–Muller, one value per call).
    public mutating func normal() -> Float {
        let u1 = 1 - uniformDouble()  // (0, 1], so the logarithm is finite
        let u2 = uniformDouble()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// `true` with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool {
        uniformDouble() < p
    }

    /// Shuffles `array` in place (Fisher–Yates).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, int(below: i + 1))
        }
    }

    /// A random permutation of `0..<count`.
    public mutating func permutation(_ count: Int) -> [Int] {
        var indices = Array(0..<count)
        shuffle(&indices)
        return indices
    }

    /// A uniformly chosen element, or `nil` for an empty collection.
    public mutating func element<C: RandomAccessCollection>(of collection: C) -> C.Element? where C.Index == Int {
        collection.isEmpty ? nil : collection[collection.startIndex + int(below: collection.count)]
    }

    private static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9e37_79b9_7f4a_7c15
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}

/// Errors raised when restoring a generator.
public enum RandomnessError: Error, Equatable, CustomStringConvertible {
    /// A saved state must hold exactly four words, not all zero.
    case invalidState(count: Int)

    public var description: String {
        switch self {
        case .invalidState(let count):
            "a saved random-generator state must hold 4 words, not all zero (found \(count))"
        }
    }
}
