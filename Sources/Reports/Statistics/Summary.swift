/// Count, mean, spread and range of a sample.
public struct Summary: Sendable, Equatable {
    /// Number of values.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Sample standard deviation (divisor n − 1); 0 for a single value.
    public let standardDeviation: Double
    /// Smallest value.
    public let minimum: Double
    /// Largest value.
    public let maximum: Double

    /// Standard error of the mean, `standardDeviation / √count`.
    public var standardError: Double { standardDeviation / Double(count).squareRoot() }

    /// Summarises `values`, which must hold at least one finite value.
    public init(_ values: [Double]) throws(ReportError) {
        try checkSample(values, minimum: 1, statistic: "Summary")
        count = values.count
        mean = arithmeticMean(values)
        standardDeviation = count > 1 ? (sumOfSquaredDeviations(values) / Double(count - 1)).squareRoot() : 0
        minimum = values.min() ?? mean
        maximum = values.max() ?? mean
    }
}

/// The mean of a non-empty sample.
func arithmeticMean(_ values: [Double]) -> Double {
    values.reduce(0, +) / Double(values.count)
}

/// Σ (v − mean)², computed around the mean for accuracy.
func sumOfSquaredDeviations(_ values: [Double]) -> Double {
    let mean = arithmeticMean(values)
    return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
}
