import Reports
import SMASH

/// Chooses architectures from an upstream `score` stage by their SMASH score: the best, the top
/// k, every k-th of the ranking, or a spread of k evenly through it (best and worst included),
/// which is what a score-against-true-error correlation needs.
struct SelectStage: StageKind {
    static let name = "select"
    static let version = 1
    static let summary = "Picks architectures of a score stage by SMASH score: best, top-k, every k-th or an even spread."
    static let metricNames = ["selected", "error_best", "error_worst"]

    struct Parameters: StageParameters {
        var mode = SelectionMode.spread
        /// Architectures kept by `top` and `spread`.
        var count = 10
        /// The stride of `every`: ranks 1, 1 + step, 1 + 2·step, ...
        var step = 5

        static let rules: [ParameterRule] = [.range("count", 1...100_000), .range("step", 1...100_000)]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            try stage.requireNeeds(ofKind: [ScoreStage.name], count: 1...1, role: "scored architectures")
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        guard let input = inputs.all.first(where: { $0.kind == ScoreStage.name }) else {
            throw PipelineError.stageFailed(stage: context.stage, kind: context.kind, reason: "it needs a score stage")
        }
        let data = try input.data()
        let list = try ArchitectureList.read(from: data, stage: input.stage, kind: input.kind)
        let errors = try data.read("smash_error", as: Double.self).values
        let losses = try data.read("smash_loss", as: Double.self).values
        guard errors.count == list.architectures.count, losses.count == errors.count, !errors.isEmpty else {
            throw PipelineError.stageFailed(stage: context.stage, kind: context.kind,
                                            reason: "stage '\(input.stage)' holds \(errors.count) scores for \(list.architectures.count) architectures")
        }
        let scores = zip(errors, losses).map { SmashScore(error: $0, loss: $1, count: 0) }
        let ranking = errors.indices.sorted { ArchitectureSearch.isBetter(scores[$0], than: scores[$1]) }
        let ranks = parameters.mode.ranks(count: ranking.count, keep: parameters.count, step: parameters.step)
        let chosen = ranks.map { ranking[$0] }
        let selected = ArchitectureList(architectures: chosen.map { list.architectures[$0] })
        try selected.write(to: context.output)
        try context.output.write("smash_error", chosen.map { errors[$0] })
        try context.output.write("smash_loss", chosen.map { losses[$0] })
        context.progress.update(completed: 1, total: 1, figures: ["selected": Double(chosen.count)])
        let table = try ResultTable(name: "selected", itemColumn: "architecture", columns: [
            ResultColumn("architecture", texts: selected.ids), ResultColumn("rank", numbers: ranks.map { Double($0 + 1) }),
            ResultColumn("smash_error", numbers: chosen.map { errors[$0] }),
        ])
        let markdown = "\(chosen.count) of \(ranking.count) architectures of `\(input.stage)` (\(parameters.mode.rawValue)): ranks "
            + ranks.map { String($0 + 1) }.joined(separator: ", ") + ".\n\n" + table.rendered(significantDigits: 4).markdown()
        return StageResult(metrics: ["selected": Double(chosen.count), "error_best": chosen.map { errors[$0] }.min() ?? 1,
                                     "error_worst": chosen.map { errors[$0] }.max() ?? 1],
                           tables: [table], markdown: markdown)
    }
}

/// How `select` picks ranks out of a ranking.
enum SelectionMode: String, ParameterChoice {
    /// The best architecture.
    case best
    /// The `count` best.
    case top
    /// Every `step`-th, from the best.
    case every
    /// `count` ranks evenly spaced from the best to the worst.
    case spread

    /// The chosen ranks (0 is the best) out of `count` ranked architectures.
    func ranks(count: Int, keep: Int, step: Int) -> [Int] {
        switch self {
        case .best: return [0]
        case .top: return Array(0 ..< min(keep, count))
        case .every: return Array(stride(from: 0, to: count, by: step))
        case .spread:
            guard keep > 1, count > 1 else { return [0] }
            let kept = min(keep, count)
            return (0..<kept).map { Int((Double($0) * Double(count - 1) / Double(kept - 1)).rounded()) }
        }
    }
}
