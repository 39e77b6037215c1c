/// Everything that can go wrong while computing statistics or building reports.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Paired samples of different lengths.
    case lengthMismatch(statistic: String, first: Int, second: Int)
    /// Too few values (after dropping what the statistic ignores) for the statistic.
    case tooFewValues(statistic: String, needed: Int, found: Int)
    /// A sample without variation, for which the statistic is undefined.
    case constantInput(statistic: String)
    /// A value that is NaN or infinite.
    case nonFiniteValue(statistic: String, index: Int)
    /// A parameter outside its range.
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .lengthMismatch(statistic, first, second):
            return "\(statistic) needs paired samples of equal length, got \(first) and \(second) values."
        case let .tooFewValues(statistic, needed, found):
            return "\(statistic) needs at least \(needed) values, got \(found)."
        case let .constantInput(statistic):
            return "\(statistic) is undefined because a sample has no variation."
        case let .nonFiniteValue(statistic, index):
            return "\(statistic) got a NaN or infinite value at index \(index)."
        case let .invalidParameter(name, value, expected):
            return "Parameter \(name) is \(value), expected \(expected)."
        }
    }
}

/// Throws unless `x` and `y` are equally long, hold at least `minimum` pairs and are all finite.
func checkPaired(_ x: [Double], _ y: [Double], minimum: Int, statistic: String) throws(ReportError) {
    guard x.count == y.count else { throw .lengthMismatch(statistic: statistic, first: x.count, second: y.count) }
    try checkSample(x, minimum: minimum, statistic: statistic)
    try checkSample(y, minimum: minimum, statistic: statistic)
}

/// Throws unless `values` holds at least `minimum` finite values.
func checkSample(_ values: [Double], minimum: Int, statistic: String) throws(ReportError) {
    guard values.count >= minimum else { throw .tooFewValues(statistic: statistic, needed: minimum, found: values.count) }
    if let index = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(statistic: statistic, index: index) }
}
