import Randomness
import Testing
@testable import Reports

@Suite struct BootstrapTests {
    /// 200 noisy pairs with a clear positive association.
    private func sample(seed: UInt64) -> (x: [Double], y: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let x = (0..<200).map { _ in generator.uniformDouble() }
        let y = x.map { $0 + 0.3 * Double(generator.normal()) }
        return (x, y)
    }

    private func kendall(_ x: [Double], _ y: [Double]) throws(ReportError) -> Double {
        try Correlation.kendall(x, y).coefficient
    }

    @Test func sameSeedSameInterval() throws {
        let (x, y) = sample(seed: 1)
        let first = try ConfidenceInterval.bootstrap(x, y, resamples: 300, seed: 42, statistic: kendall)
        let second = try ConfidenceInterval.bootstrap(x, y, resamples: 300, seed: 42, statistic: kendall)
        let other = try ConfidenceInterval.bootstrap(x, y, resamples: 300, seed: 43, statistic: kendall)
        #expect(first == second)
        #expect(first != other)
        #expect(first.estimate == (try Correlation.kendall(x, y).coefficient))
        #expect(first.lower < first.estimate && first.estimate < first.upper)
        #expect(first.resamples == 300 && first.level == 0.95)
        #expect(first.upper - first.lower < 0.25)
    }

    @Test func meanIntervalAgreesWithTheNormalTheory() throws {
        let (x, _) = sample(seed: 2)
        let summary = try Summary(x)
        let interval = try ConfidenceInterval.bootstrap(x, resamples: 2000, seed: 5) { values in arithmeticMean(values) }
        // The percentile interval of a mean of 200 values is close to mean ± 1.96 SE.
        #expect(abs(interval.lower - (summary.mean - 1.96 * summary.standardError)) < 0.3 * summary.standardError)
        #expect(abs(interval.upper - (summary.mean + 1.96 * summary.standardError)) < 0.3 * summary.standardError)
        #expect(interval.contains(summary.mean))
    }

    @Test func degenerateResamplesAreSkippedOrReported() throws {
        // With two pairs, many resamples repeat one pair and have no variation.
        let interval = try ConfidenceInterval.bootstrap([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], resamples: 200, seed: 0,
                                                        statistic: kendall)
        #expect(interval.resamples <= 200 && interval.resamples >= 100)
        #expect(throws: ReportError.self) {
            try ConfidenceInterval.bootstrap([1, 2], [2, 1], resamples: 100, seed: 0, statistic: kendall)
        }
        #expect(throws: ReportError.invalidParameter(name: "level", value: "1.5", expected: "between 0 and 1")) {
            try ConfidenceInterval.bootstrap([1, 2, 3], level: 1.5) { $0[0] }
        }
    }
}
