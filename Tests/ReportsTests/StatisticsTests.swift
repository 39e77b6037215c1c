import Testing
@testable import Reports

/// Reference values come from scipy 1.17 (`scipy.stats`, `scipy.special`), computed once and
/// hard-coded here; the comment above each check names the data.
private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-10) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// Anscombe's quartet, data set I (Anscombe 1973).
private let anscombeX: [Double] = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
private let anscombeY = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]

/// Integer grades with many ties in both samples.
private let tiedA: [Double] = [1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 5, 6, 7, 7, 8]
private let tiedB: [Double] = [2, 1, 2, 3, 3, 3, 5, 4, 4, 6, 6, 5, 7, 7, 9, 8]

@Suite struct SpecialFunctionTests {
    @Test func incompleteBetaMatchesScipy() {
        // scipy.special.betainc(2.5, 0.5, 0.3), (10, 3, 0.9), (0.5, 0.5, 0.999)
        #expect(close(SpecialFunctions.regularizedIncompleteBeta(x: 0.3, a: 2.5, b: 0.5), 0.018927124071945658))
        #expect(close(SpecialFunctions.regularizedIncompleteBeta(x: 0.9, a: 10, b: 3), 0.889130022255))
        #expect(close(SpecialFunctions.regularizedIncompleteBeta(x: 0.999, a: 0.5, b: 0.5), 0.9798649583666235))
        #expect(SpecialFunctions.regularizedIncompleteBeta(x: 0, a: 2, b: 3) == 0)
        #expect(SpecialFunctions.regularizedIncompleteBeta(x: 1, a: 2, b: 3) == 1)
    }

    @Test func distributionsMatchScipy() {
        // 2 * scipy.stats.t.sf(2.1, 7), 2 * t.sf(0.3, 30); norm.cdf(-1.96), norm.cdf(0.5)
        #expect(close(SpecialFunctions.studentTTwoSidedPValue(2.1, degreesOfFreedom: 7), 0.07387119621292265))
        #expect(close(SpecialFunctions.studentTTwoSidedPValue(-0.3, degreesOfFreedom: 30), 0.7662461052843528))
        #expect(close(SpecialFunctions.normalCDF(-1.96), 0.024997895148220435))
        #expect(close(SpecialFunctions.normalCDF(0.5), 0.6914624612740131))
        #expect(close(SpecialFunctions.normalTwoSidedPValue(-1.96), 2 * 0.024997895148220435))
    }
}

@Suite struct CorrelationTests {
    @Test func summaryOfATextbookSample() throws {
        // [2, 4, 4, 4, 5, 5, 7, 9]: np.std(ddof=1), scipy.stats.sem
        let summary = try Summary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(summary.count == 8 && summary.mean == 5 && summary.minimum == 2 && summary.maximum == 9)
        #expect(close(summary.standardDeviation, 2.138089935299395))
        #expect(close(summary.standardError, 0.7559289460184544))
        #expect(try Summary([3]).standardDeviation == 0)
    }

    @Test func pearsonMatchesScipy() throws {
        // scipy.stats.pearsonr documentation example
        let doc = try Correlation.pearson([1, 2, 3, 4, 5, 6, 7], [10, 9, 2.5, 6, 4, 3, 2])
        #expect(close(doc.coefficient, -0.8285038835884277))
        #expect(close(doc.pValue, 0.021280260007523342, 1e-9))
        // Anscombe I
        let anscombe = try Correlation.pearson(anscombeX, anscombeY)
        #expect(close(anscombe.pValue, 0.0021696288730788152, 1e-9))
        // tied grades
        let tied = try Correlation.pearson(tiedA, tiedB)
        #expect(close(tied.coefficient, 0.9371150583545887))
        #expect(close(tied.pValue, 8.821700499508784e-08, 1e-8))
        #expect(try Correlation.pearson([1, 2, 3], [2, 4, 6]).pValue == 0)
    }

    @Test func spearmanWithTiesMatchesScipy() throws {
        // scipy.stats.spearmanr documentation example ([1..5] vs [5, 6, 7, 8, 7], one tie)
        let doc = try Correlation.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])
        #expect(close(doc.coefficient, 0.8207826816681233))
        #expect(close(doc.pValue, 0.08858700531354384, 1e-9))
        // tied grades
        let tied = try Correlation.spearman(tiedA, tiedB)
        #expect(close(tied.coefficient, 0.949792191773346))
        #expect(close(tied.pValue, 1.8876110719716995e-08, 1e-8))
        #expect(tied.method == .spearman && tied.count == 16)
    }

    @Test func kendallTauBWithTiesMatchesScipy() throws {
        // scipy.stats.kendalltau documentation example, ties in both samples
        let doc = try Correlation.kendall([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])
        #expect(close(doc.coefficient, -0.4714045207910316))
        #expect(close(doc.pValue, 0.28274545993277467, 1e-9))
        // tied grades
        let tied = try Correlation.kendall(tiedA, tiedB)
        #expect(close(tied.coefficient, 0.8728715609439694))
        #expect(close(tied.pValue, 9.533431301464985e-06, 1e-8))
        // no ties, method="asymptotic"
        let u = [4.1, 2.3, 5.9, 1.2, 8.8, 7.7, 3.3, 6.5, 9.1, 0.4, 5.2, 2.8]
        let v = [3.0, 2.9, 6.1, 1.0, 7.2, 8.5, 2.2, 5.0, 9.9, 1.5, 4.4, 3.8]
        let plain = try Correlation.kendall(u, v)
        #expect(close(plain.coefficient, 0.8181818181818181))
        #expect(close(plain.pValue, 0.00021313412412417887, 1e-8))
    }

    @Test func correlationsRejectBadInput() {
        #expect(throws: ReportError.lengthMismatch(statistic: "Kendall's tau", first: 3, second: 2)) {
            try Correlation.kendall([1, 2, 3], [1, 2])
        }
        #expect(throws: ReportError.constantInput(statistic: "Spearman's rho")) { try Correlation.spearman([1, 1, 1], [1, 2, 3]) }
        #expect(throws: ReportError.tooFewValues(statistic: "Pearson's r", needed: 3, found: 2)) {
            try Correlation.pearson([1, 2], [1, 2])
        }
        #expect(throws: ReportError.nonFiniteValue(statistic: "Pearson's r", index: 1)) {
            try Correlation.pearson([1, .nan, 3], [1, 2, 3])
        }
    }

    @Test func leastSquaresOnAnscombe() throws {
        // scipy.stats.linregress on Anscombe I: slope, intercept, rvalue**2
        let fit = try LineFit(anscombeX, anscombeY)
        #expect(close(fit.slope, 0.5000909090909091))
        #expect(close(fit.intercept, 3.0000909090909103))
        #expect(close(fit.rSquared, 0.666542459508775))
        #expect(close(fit.predict(10), 8.001))
        #expect(throws: ReportError.constantInput(statistic: "Least-squares fit")) { try LineFit([2, 2], [1, 3]) }
        #expect(try LineFit([1, 2, 3], [4, 4, 4]).rSquared == 1)
    }
}

@Suite struct WilcoxonTests {
    /// Darwin's Zea mays height differences (Fisher 1935), scipy's wilcoxon documentation example.
    private let darwin: [Double] = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]

    @Test func exactForSmallSamplesWithoutTies() throws {
        // scipy.stats.wilcoxon(d, method="exact"): statistic 24, p 0.041259765625
        let test = try WilcoxonSignedRank(differences: darwin)
        #expect(test.method == .exact && test.statistic == 24 && test.count == 15 && test.z == nil)
        #expect(test.positiveRankSum == 96 && test.negativeRankSum == 24)
        #expect(close(test.pValue, 0.041259765625))
        // scipy.stats.wilcoxon([1.5, -0.3, 2.2, 3.1, -4.4, 5.6]): statistic 6, p 0.4375
        let small = try WilcoxonSignedRank(differences: [1.5, -0.3, 2.2, 3.1, -4.4, 5.6])
        #expect(small.statistic == 6 && close(small.pValue, 0.4375))
    }

    @Test func normalApproximationWithContinuityCorrection() throws {
        // scipy.stats.wilcoxon(d, method="asymptotic", correction=True / False)
        let corrected = try WilcoxonSignedRank(differences: darwin, method: .normalApproximation)
        #expect(close(corrected.pValue, 0.043772323763041174, 1e-9))
        #expect(close(abs(corrected.z ?? 0), 2.01626451157708, 1e-9))
        let plain = try WilcoxonSignedRank(differences: darwin, method: .normalApproximation, continuityCorrection: false)
        #expect(close(plain.pValue, 0.04088813291185591, 1e-9))
    }

    @Test func zerosAreDroppedAndTiesShareRanks() throws {
        // x - y = [2 0 -2 4 0 3 4 0 4 -2 5 2 4 6 -3]: three zeros, ties among |d|;
        // scipy.stats.wilcoxon(x, y, method="asymptotic", correction=True / False)
        let x: [Double] = [10, 12, 8, 15, 9, 11, 14, 7, 13, 10, 16, 12, 9, 20, 6]
        let y: [Double] = [8, 12, 10, 11, 9, 8, 10, 7, 9, 12, 11, 10, 5, 14, 9]
        let test = try WilcoxonSignedRank(x, y)
        #expect(test.method == .normalApproximation && test.zeros == 3 && test.count == 12)
        #expect(test.statistic == 10.5)
        #expect(close(test.pValue, 0.026797182026806827, 1e-9))
        #expect(close(abs(test.z ?? 0), 2.214459554397186, 1e-9))
        let plain = try WilcoxonSignedRank(x, y, continuityCorrection: false)
        #expect(close(plain.pValue, 0.024195949362957794, 1e-9))
        #expect(throws: ReportError.self) { try WilcoxonSignedRank([1, 2], [1, 2]) }
    }
}
