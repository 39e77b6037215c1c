/// A (vertical, horizontal) pair of sizes, for per-axis stride, padding, dilation and kernel
/// extents. An integer literal means the same value on both axes.
public struct Pair: Hashable, Sendable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var y: Int
    public var x: Int

    public init(_ y: Int, _ x: Int) {
        self.y = y
        self.x = x
    }

    public init(integerLiteral value: Int) {
        self.init(value, value)
    }

    public var description: String { y == x ? "\(y)" : "\(y)x\(x)" }
}
