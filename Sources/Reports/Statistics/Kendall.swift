extension Correlation {
    /// Kendall's τ-b of paired samples (at least 3 pairs), which corrects for ties in either sample.
    ///
    /// τ-b = (C − D) / √((n₀ − n₁)(n₀ − n₂)), with C and D the concordant and discordant pairs,
    /// n₀ = n(n−1)/2 and n₁, n₂ the pairs tied in x and in y. The p-value uses the normal
    /// approximation of C − D with the tie-corrected variance (Kendall 1976, as scipy's
    /// `kendalltau(method="asymptotic")`). O(n²) time, fine for thousands of pairs.
    public static func kendall(_ x: [Double], _ y: [Double]) throws(ReportError) -> Correlation {
        try checkPaired(x, y, minimum: 3, statistic: "Kendall's tau")
        let n = x.count
        var score = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                score += sign(x[i] - x[j]) * sign(y[i] - y[j])
            }
        }
        let tiesX = TieSums(averageRanks(x).tieGroups), tiesY = TieSums(averageRanks(y).tieGroups)
        let pairs = Double(n * (n - 1) / 2)
        guard pairs > tiesX.pairs, pairs > tiesY.pairs else { throw .constantInput(statistic: "Kendall's tau") }
        let tau = Double(score) / ((pairs - tiesX.pairs) * (pairs - tiesY.pairs)).squareRoot()

        let m = Double(n * (n - 1))
        let variance = (m * Double(2 * n + 5) - tiesX.cubic - tiesY.cubic) / 18
            + tiesX.pairs * tiesY.pairs * 2 / m
            + tiesX.triples * tiesY.triples / (9 * m * Double(n - 2))
        let pValue = SpecialFunctions.normalTwoSidedPValue(Double(score) / variance.squareRoot())
        return Correlation(method: .kendall, coefficient: min(1, max(-1, tau)), pValue: pValue, count: n)
    }

    private static func sign(_ value: Double) -> Int {
        value > 0 ? 1 : (value < 0 ? -1 : 0)
    }
}

/// Sums over the groups of tied values (sizes t) that enter τ-b and its variance.
private struct TieSums {
    /// Σ t(t−1)/2: pairs tied within the sample.
    let pairs: Double
    /// Σ t(t−1)(t−2).
    let triples: Double
    /// Σ t(t−1)(2t+5).
    let cubic: Double

    init(_ groups: [Int]) {
        let sizes = groups.map(Double.init)
        pairs = sizes.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        triples = sizes.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) }
        cubic = sizes.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
    }
}
