/// Wilcoxon's signed-rank test of paired samples: are the differences x − y centred on zero?
///
/// Zero differences are dropped (Wilcoxon's treatment); tied absolute differences share their
/// average rank. The p-value is two-sided. The exact null distribution is used for up to 50
/// non-zero differences without ties; otherwise the normal approximation with tie-corrected
/// variance and (by default) a continuity correction. Matches scipy's `wilcoxon` with
/// `zero_method="wilcox"` and the same `method` and `correction`.
public struct WilcoxonSignedRank: Sendable, Equatable {
    /// How the p-value was computed.
    public enum Method: String, Sendable {
        /// The exact distribution of the rank sum (ties or zeros make it conservative).
        case exact
        /// The normal approximation.
        case normalApproximation
    }

    /// min(W⁺, W⁻), the statistic usually reported.
    public let statistic: Double
    /// Sum of the ranks of positive differences.
    public let positiveRankSum: Double
    /// Sum of the ranks of negative differences.
    public let negativeRankSum: Double
    /// Number of non-zero differences.
    public let count: Int
    /// Number of zero differences dropped.
    public let zeros: Int
    /// The standardised W⁺ (after the continuity correction, if any); nil for the exact method.
    public let z: Double?
    /// Two-sided p-value.
    public let pValue: Double
    /// How `pValue` was computed.
    public let method: Method

    /// Tests the paired samples `x` and `y`. `method` nil chooses as described above.
    public init(_ x: [Double], _ y: [Double], method: Method? = nil, continuityCorrection: Bool = true) throws(ReportError) {
        try checkPaired(x, y, minimum: 1, statistic: "Wilcoxon signed-rank test")
        try self.init(differences: zip(x, y).map { $0 - $1 }, method: method, continuityCorrection: continuityCorrection)
    }

    /// Tests whether `differences` are centred on zero.
    public init(differences: [Double], method: Method? = nil, continuityCorrection: Bool = true) throws(ReportError) {
        try checkSample(differences, minimum: 1, statistic: "Wilcoxon signed-rank test")
        let nonZero = differences.filter { $0 != 0 }
        guard !nonZero.isEmpty else { throw .tooFewValues(statistic: "Wilcoxon signed-rank test (non-zero differences)", needed: 1, found: 0) }
        let (ranks, groups) = averageRanks(nonZero.map(abs))
        let n = Double(nonZero.count)
        positiveRankSum = zip(nonZero, ranks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        negativeRankSum = n * (n + 1) / 2 - positiveRankSum
        statistic = min(positiveRankSum, negativeRankSum)
        count = nonZero.count
        zeros = differences.count - nonZero.count

        let hasTies = groups.contains { $0 > 1 }
        let chosen = method ?? (hasTies || zeros > 0 || count > 50 ? .normalApproximation : .exact)
        self.method = chosen
        switch chosen {
        case .exact:
            z = nil
            pValue = Self.exactPValue(positiveRankSum, count: count)
        case .normalApproximation:
            let tieCorrection = groups.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
            let sd = ((n * (n + 1) * (2 * n + 1) - tieCorrection / 2) / 24).squareRoot()
            var standardised = (positiveRankSum - n * (n + 1) / 4) / sd
            if continuityCorrection, standardised != 0 {
                standardised -= (standardised > 0 ? 0.5 : -0.5) / sd
            }
            z = standardised
            pValue = SpecialFunctions.normalTwoSidedPValue(standardised)
        }
    }

    /// 2 · min(P(W ≥ ⌊w⌋), P(W ≤ ⌈w⌉)) under the exact null distribution of W⁺ for `count` ranks.
    private static func exactPValue(_ w: Double, count: Int) -> Double {
        let maximum = count * (count + 1) / 2
        var ways = [Double](repeating: 0, count: maximum + 1)  // subsets of 1...count by rank sum
        ways[0] = 1
        for rank in 1...count {
            for sum in stride(from: maximum, through: rank, by: -1) { ways[sum] += ways[sum - rank] }
        }
        let total = ways.reduce(0, +)
        let low = min(maximum, Int(w.rounded(.up))), high = max(0, Int(w.rounded(.down)))
        let cdf = ways[0...low].reduce(0, +) / total
        let sf = ways[high...maximum].reduce(0, +) / total
        return min(1, 2 * min(cdf, sf))
    }
}
