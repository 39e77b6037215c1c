import Reports

/// A result set checked against the pipeline's expectations (`expect:` of its spec).
public struct Verification: Sendable {
    /// One expectation and how the result set fares.
    public struct Check: Sendable {
        /// What was expected.
        public let expectation: Expectation
        /// The metric's value, nil when the result set lacks it.
        public let value: Double?
        /// Whether the value meets the expectation.
        public let passed: Bool
        /// "ok", or why it fails.
        public let reason: String
        /// Whether the check was skipped: its stage was left out by the run's `--until`.
        public var skipped = false
    }

    /// Every check, in the order `expect` lists them.
    public let checks: [Check]
    /// The stage a partial run stopped at, if any.
    public let until: String

    /// Checks `set` against `expectations`, by default those recorded in its `run.json`.
    /// Expectations on stages a `--until` run left out are skipped, not failed.
    public init(_ set: ResultSet, expectations: [Expectation]? = nil) {
        self.init(record: set.record, metrics: set.metrics, expectations: expectations)
    }

    /// Checks the metrics of a run against `expectations`, by default those of its record.
    init(record: RunRecord, metrics: [String: Double], expectations: [Expectation]? = nil) {
        until = record.until ?? ""
        checks = (expectations ?? record.expectations).map { expectation in
            if record.until != nil, record.stage(expectation.stage) == nil {
                var check = Check(expectation: expectation, value: nil, passed: true, reason: "ok")
                check.skipped = true
                return check
            }
            let value = metrics[expectation.reference]
            let (passed, reason) = expectation.check(value)
            return Check(expectation: expectation, value: value, passed: passed, reason: reason)
        }
    }

    /// Whether every expectation is met (true when there are none).
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// `pass`, `FAIL: why`, or why the check was skipped.
    func verdict(_ check: Check) -> String {
        check.skipped ? "skipped: the run stopped at --until \(until)" : check.passed ? "pass" : "FAIL: \(check.reason)"
    }

    /// A table of the checks and a closing verdict line.
    public func text() -> String {
        guard !checks.isEmpty else { return "The pipeline declares no expectations (add an `expect:` section).\n" }
        var table = Table(columns: ["metric", "value", "expected", "verdict"], alignments: [.left, .right, .left, .left])
        for check in checks {
            try? table.append([check.expectation.reference, check.value.map { Table.cell($0, decimals: 6) } ?? "missing",
                               check.expectation.summary, verdict(check)])
        }
        let failed = checks.filter { !$0.passed }.count, skipped = checks.filter(\.skipped).count
        let checked = checks.count - skipped
        let note = skipped == 0 ? "" : " (\(skipped) skipped: stages not run)"
        return table.markdown() + (failed == 0 ? "\nAll \(checked) checked expectations met\(note).\n"
                                               : "\n\(failed) of \(checked) checked expectations not met\(note).\n")
    }
}
