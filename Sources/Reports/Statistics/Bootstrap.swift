import Randomness

/// A confidence interval around an estimate.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The statistic on the full sample.
    public let estimate: Double
    /// Lower bound.
    public let lower: Double
    /// Upper bound.
    public let upper: Double
    /// Coverage, e.g. 0.95.
    public let level: Double
    /// Resamples whose statistic was defined and finite (those the bounds come from).
    public let resamples: Int

    /// Whether `value` lies within the bounds.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

extension ConfidenceInterval {
    /// Percentile bootstrap interval of a statistic of paired samples: pairs are resampled with
    /// replacement `resamples` times from a `SeededGenerator(seed:)`, so the result is
    /// reproducible. Resamples for which `statistic` throws or is not finite (such as a
    /// correlation of a resample without variation) are skipped; at least half must remain.
    ///
    /// ```swift
    /// let ci = try ConfidenceInterval.bootstrap(scores, errors, seed: 7) { x, y throws(ReportError) in
    ///     try Correlation.kendall(x, y).coefficient
    /// }
    /// ```
    public static func bootstrap(_ x: [Double], _ y: [Double], resamples: Int = 2000, level: Double = 0.95, seed: UInt64 = 0,
                                 statistic: ([Double], [Double]) throws(ReportError) -> Double) throws(ReportError) -> ConfidenceInterval {
        try checkPaired(x, y, minimum: 2, statistic: "bootstrap")
        return try percentile(count: x.count, resamples: resamples, level: level, seed: seed) { (indices) throws(ReportError) in
            try statistic(indices.map { x[$0] }, indices.map { y[$0] })
        }
    }

    /// Percentile bootstrap interval of a statistic of one sample (see the paired version).
    public static func bootstrap(_ values: [Double], resamples: Int = 2000, level: Double = 0.95, seed: UInt64 = 0,
                                 statistic: ([Double]) throws(ReportError) -> Double) throws(ReportError) -> ConfidenceInterval {
        try checkSample(values, minimum: 2, statistic: "bootstrap")
        return try percentile(count: values.count, resamples: resamples, level: level, seed: seed) { (indices) throws(ReportError) in
            try statistic(indices.map { values[$0] })
        }
    }

    /// The shared resampling loop: `statistic` receives the indices of one resample.
    private static func percentile(count: Int, resamples: Int, level: Double, seed: UInt64,
                                   statistic: ([Int]) throws(ReportError) -> Double) throws(ReportError) -> ConfidenceInterval {
        guard resamples >= 10 else { throw .invalidParameter(name: "resamples", value: "\(resamples)", expected: "at least 10") }
        guard level > 0, level < 1 else { throw .invalidParameter(name: "level", value: "\(level)", expected: "between 0 and 1") }
        let estimate = try statistic(Array(0..<count))
        var generator = SeededGenerator(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let indices = (0..<count).map { _ in generator.int(below: count) }
            if let value = try? statistic(indices), value.isFinite { values.append(value) }
        }
        guard values.count * 2 >= resamples else {
            throw .tooFewValues(statistic: "bootstrap (resamples with a defined statistic)", needed: resamples / 2, found: values.count)
        }
        values.sort()
        let tail = (1 - level) / 2
        return ConfidenceInterval(estimate: estimate, lower: quantile(values, tail), upper: quantile(values, 1 - tail),
                                  level: level, resamples: values.count)
    }

    /// The q-quantile of sorted values with linear interpolation between order statistics.
    private static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(sorted.count - 1, below + 1)
        let fraction = position - Double(below)
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }
}
