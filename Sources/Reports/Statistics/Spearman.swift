extension Correlation {
    /// Spearman's rank correlation ρ of paired samples (at least 3 pairs): Pearson's r of the
    /// ranks, tied values sharing their average rank.
    public static func spearman(_ x: [Double], _ y: [Double]) throws(ReportError) -> Correlation {
        try checkPaired(x, y, minimum: 3, statistic: "Spearman's rho")
        let rho = try pearsonCoefficient(averageRanks(x).ranks, averageRanks(y).ranks, statistic: "Spearman's rho")
        return Correlation(method: .spearman, coefficient: rho, pValue: tTestPValue(rho, count: x.count), count: x.count)
    }
}
