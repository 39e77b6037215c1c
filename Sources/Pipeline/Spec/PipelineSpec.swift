import Foundation

/// A validated pipeline spec: what `Pipelines/<name>.yaml` declares, with every stage's
/// parameters resolved (defaults filled in) and its dataset decided.
///
/// ```yaml
/// pipeline: centroid-curve
/// description: Nearest-centroid accuracy against training-set size
/// dataset: fashion-mnist
/// seed: 0
/// stages:
///   summary: { run: dataset-summary }
///   centroid: { run: nearest-centroid, with: { subsets: 40, sizes: [5, 20, 100] } }
///   curve: { run: correlate, needs: [centroid], with: { x: centroid.subsets.per_class, y: centroid.subsets.accuracy } }
/// expect:
///   curve.spearman: { min: 0.5 }
/// ```
public struct PipelineSpec: Sendable {
    /// The pipeline's name (`pipeline:`), also its folder under `Results/`.
    public var name: String
    /// One line or paragraph saying what it reproduces.
    public var description: String
    /// The default dataset of stages that read one.
    public var dataset: String?
    /// The seed of stages that draw random numbers.
    public var seed: UInt64
    /// The stages in the order the file lists them.
    public var stages: [StageSpec]
    /// Declared expected metric values, checked by `smash verify`.
    public var expectations: [Expectation]
    /// The file the spec was read from.
    public var file: String
    /// The `--set` arguments applied, in order.
    public var overrides: [String]

    /// The stage named `name`.
    public func stage(_ name: String) -> StageSpec? {
        stages.first { $0.name == name }
    }
}

/// One stage of a spec.
public struct StageSpec: Sendable {
    /// The stage's name (its key under `stages:`).
    public var name: String
    /// The stage kind (`run:`).
    public var kind: String
    /// The stages whose artifacts it reads, in the order written.
    public var needs: [String]
    /// Every parameter of the kind, defaults filled in.
    public var parameters: [String: JSONValue]
    /// The dataset it reads: its own `dataset:` or the pipeline's; nil when the kind reads none.
    public var dataset: String?
    /// Where the stage is declared.
    public var location: SourceLocation
    /// Where each parameter was written (defaults point at the stage).
    var parameterLocations: [String: SourceLocation]
}

/// An expected value of one metric: bounds, or a target with a tolerance.
public struct Expectation: Sendable, Equatable, Codable {
    /// The stage that reports the metric.
    public var stage: String
    /// The metric's name.
    public var metric: String
    /// Smallest acceptable value.
    public var min: Double?
    /// Largest acceptable value.
    public var max: Double?
    /// Target value; with `tolerance`, values within `equals ± tolerance` pass.
    public var equals: Double?
    /// Allowed distance from `equals`, and the change `smash diff` still calls "within tolerance".
    public var tolerance: Double?

    /// `stage.metric`.
    public var reference: String { "\(stage).\(metric)" }

    /// Whether `value` meets the expectation, and if not why.
    public func check(_ value: Double?) -> (passed: Bool, reason: String) {
        guard let value else { return (false, "the result set has no metric \(reference)") }
        guard value.isFinite else { return (false, "\(reference) is \(value)") }
        if let min, value < min { return (false, "\(format(value)) is below the minimum \(format(min))") }
        if let max, value > max { return (false, "\(format(value)) is above the maximum \(format(max))") }
        if let equals, abs(value - equals) > (tolerance ?? 0) {
            return (false, "\(format(value)) differs from \(format(equals)) by more than \(format(tolerance ?? 0))")
        }
        return (true, "ok")
    }

    /// The expectation as a phrase: "≥ 0.19", "0.5 ± 0.01", "in [0, 1]".
    public var summary: String {
        var parts: [String] = []
        if let equals { parts.append("= \(format(equals)) ± \(format(tolerance ?? 0))") }
        switch (min, max) {
        case let (low?, high?): parts.append("in [\(format(low)), \(format(high))]")
        case let (low?, nil): parts.append("≥ \(format(low))")
        case let (nil, high?): parts.append("≤ \(format(high))")
        case (nil, nil): break
        }
        if equals == nil, let tolerance { parts.append("changes ≤ \(format(tolerance))") }
        return parts.joined(separator: ", ")
    }

    private func format(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
