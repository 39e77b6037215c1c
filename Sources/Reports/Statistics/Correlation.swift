/// A correlation coefficient with its two-sided p-value against "no association".
///
/// ```swift
/// let tau = try Correlation.kendall(smashScores, trueErrors)
/// print(tau.coefficient, tau.pValue)
/// ```
public struct Correlation: Sendable, Equatable {
    /// Which coefficient.
    public enum Method: String, Sendable {
        /// Pearson's r; p-value from Student's t with n − 2 degrees of freedom.
        case pearson
        /// Spearman's ρ (Pearson's r of average ranks); p-value from Student's t with n − 2 degrees of freedom.
        case spearman
        /// Kendall's τ-b; p-value from the normal approximation with tie-corrected variance.
        case kendall
    }

    /// Which coefficient this is.
    public let method: Method
    /// The coefficient, in [−1, 1].
    public let coefficient: Double
    /// Two-sided p-value.
    public let pValue: Double
    /// Number of pairs.
    public let count: Int
}

extension Correlation {
    /// The two-sided p-value of a Pearson-type coefficient `r` of `count` pairs (t-test, n − 2 df).
    static func tTestPValue(_ r: Double, count: Int) -> Double {
        let degrees = Double(count - 2)
        guard abs(r) < 1 else { return 0 }
        return SpecialFunctions.studentTTwoSidedPValue(r * (degrees / (1 - r * r)).squareRoot(), degreesOfFreedom: degrees)
    }

    /// Pearson's r of two checked samples; `constantInput` when either has no variation.
    static func pearsonCoefficient(_ x: [Double], _ y: [Double], statistic: String) throws(ReportError) -> Double {
        let meanX = arithmeticMean(x), meanY = arithmeticMean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - meanX) * (b - meanY)
            sxx += (a - meanX) * (a - meanX)
            syy += (b - meanY) * (b - meanY)
        }
        guard sxx > 0, syy > 0 else { throw .constantInput(statistic: statistic) }
        return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
    }
}
