extension Correlation {
    /// Pearson's product-moment correlation r of paired samples (at least 3 pairs).
    public static func pearson(_ x: [Double], _ y: [Double]) throws(ReportError) -> Correlation {
        try checkPaired(x, y, minimum: 3, statistic: "Pearson's r")
        let r = try pearsonCoefficient(x, y, statistic: "Pearson's r")
        return Correlation(method: .pearson, coefficient: r, pValue: tTestPValue(r, count: x.count), count: x.count)
    }
}
