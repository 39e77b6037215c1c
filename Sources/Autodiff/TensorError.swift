/// Errors raised by tensor operations on inconsistent shapes or arguments.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// An operation received a shape it cannot use; `expected` is what would have fitted.
    case shapeMismatch(operation: String, expected: [Int], found: [Int])
    /// An argument is out of range or inconsistent.
    case invalidArgument(operation: String, message: String)

    public var description: String {
        switch self {
        case .shapeMismatch(let operation, let expected, let found):
            "\(operation): shape mismatch, expected \(expected) but found \(found)"
        case .invalidArgument(let operation, let message):
            "\(operation): \(message)"
        }
    }
}
