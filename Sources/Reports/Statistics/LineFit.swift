/// The least-squares line y = slope · x + intercept through paired samples.
public struct LineFit: Sendable, Equatable {
    /// Change of y per unit of x.
    public let slope: Double
    /// y at x = 0.
    public let intercept: Double
    /// Coefficient of determination, 1 − SS_res / SS_tot (1 when y is constant: the line fits exactly).
    public let rSquared: Double
    /// Number of pairs.
    public let count: Int

    /// Fits the line to at least two pairs; `x` must vary.
    public init(_ x: [Double], _ y: [Double]) throws(ReportError) {
        try checkPaired(x, y, minimum: 2, statistic: "Least-squares fit")
        let meanX = arithmeticMean(x), meanY = arithmeticMean(y)
        let sxx = sumOfSquaredDeviations(x), syy = sumOfSquaredDeviations(y)
        guard sxx > 0 else { throw .constantInput(statistic: "Least-squares fit") }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        slope = sxy / sxx
        intercept = meanY - slope * meanX
        rSquared = syy > 0 ? min(1, sxy * sxy / (sxx * syy)) : 1
        count = x.count
    }

    /// The fitted y at `x`.
    public func predict(_ x: Double) -> Double { slope * x + intercept }
}
