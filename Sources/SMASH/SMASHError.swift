/// Errors raised by the SMASH module: an invalid search space, architecture, encoding or option.
/// Each case names what to fix (a field or a path inside an architecture) and what was expected.
public enum SMASHError: Error, Equatable, CustomStringConvertible {
    /// A search-space field holds an unusable value.
    case invalidSpace(field: String, found: String, expected: String)
    /// An architecture breaks a rule of its skeleton; `path` locates the offending element,
    /// e.g. `blocks[1].ops[3].reads`.
    case invalidArchitecture(path: String, message: String)
    /// An architecture's JSON could not be read.
    case unreadableArchitecture(message: String)
    /// An architecture belongs to another search space than the network it is run on.
    case skeletonMismatch(expected: String, found: String)
    /// An encoding tensor does not fit the layout it is decoded or used with.
    case invalidEncoding(message: String)
    /// A training, scoring or search option is out of range.
    case invalidOption(name: String, found: String, expected: String)
    /// A checkpoint does not fit the trainer it is restored into.
    case invalidCheckpoint(message: String)

    public var description: String {
        switch self {
        case .invalidSpace(let field, let found, let expected):
            "search space field '\(field)' is \(found), but it must be \(expected)"
        case .invalidArchitecture(let path, let message):
            "architecture element \(path) is invalid: \(message)"
        case .unreadableArchitecture(let message):
            "the architecture could not be read: \(message)"
        case .skeletonMismatch(let expected, let found):
            "the architecture was sampled from search space '\(found)', but the network was built for '\(expected)'"
        case .invalidEncoding(let message):
            "the encoding tensor is unusable: \(message)"
        case .invalidOption(let name, let found, let expected):
            "option '\(name)' is \(found), but it must be \(expected)"
        case .invalidCheckpoint(let message):
            "the checkpoint cannot be restored: \(message)"
        }
    }
}
