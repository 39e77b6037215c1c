import Reports
import SMASH

/// Perturbation experiments on a trained SMASH network (paper Sec. 4.2 and App. C):
/// `corruption` scores upstream architectures with wrong encodings to test that the HyperNet
/// reads c; `search` runs the random + perturbation + Markov-chain search, with random or
/// architecture-gradient proposals. Every score is a cached item, so a killed search resumes.
struct PerturbStage: StageKind {
    static let name = "perturb"
    static let version = 1
    static let summary = "Encoding corruption, or perturbation search (random or gradient-guided) on a SMASH network."
    static let usesDataset = true
    static let usesSeed = true
    /// `corruption` reports the first four and one mean per corruption; `search` the last four.
    static let metricNames = ["architectures", "correct_error_mean", "corrupted_error_mean", "worse_fraction"]
        + CorruptionName.allCases.map(\.metricName) + ["best_error", "random_best_error", "scored", "accepted"]

    struct Parameters: StageParameters {
        var mode = PerturbMode.corruption
        /// Validation images per score; 0 for the whole validation split.
        var limit = 0
        var batchSize = 100
        /// Batch-norm statistics of the scores: `running` or `batch` (see `score`).
        var statistics = EvaluationStatistics.running
        /// `corruption`: the corruptions applied to each architecture.
        var corruptions = CorruptionName.allCases
        /// `corruption`: corrupted encodings drawn per architecture and corruption (their scores are averaged).
        var draws = 1
        /// `search`: random architectures scored first.
        var randomCount = 500
        /// `search`: perturbations of the best random architecture.
        var perturbations = 100
        /// `search`: Markov-chain steps accepting only improvements.
        var markovSteps = 100
        /// `search`: chance that one element of an architecture is redrawn.
        var probability = 0.05
        /// `search`: `random` proposals, or the candidate whose encoding dE/dc predicts to be best.
        var guidance = GuidanceName.random
        /// `search` with gradient guidance: candidates ranked per Markov step.
        var candidates = 8
        /// `search` with gradient guidance: validation images the gradient is taken over; 0 for all scored.
        var gradientLimit = 1000

        static let rules: [ParameterRule] = [
            .atLeast("limit", 0), .range("batchSize", 1...10_000), .range("draws", 1...100), .range("randomCount", 1...100_000),
            .range("perturbations", 0...100_000), .range("markovSteps", 0...100_000), .range("probability", 1e-6...1.0),
            .range("candidates", 1...1000), .atLeast("gradientLimit", 0), .nonEmpty("corruptions"),
        ]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            try stage.requireNeeds(ofKind: [TrainedSmashNetwork.kind], count: 1...1, role: "the trained SMASH network")
            if mode == .corruption {
                try stage.requireNeeds(ofKind: ArchitectureList.producerKinds, count: 1...Int.max, role: "architecture source")
            }
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let scoring = try ScoringSession(inputs, limit: parameters.limit, batchSize: parameters.batchSize,
                                         statistics: parameters.statistics, context: context, excluding: Self.notScoring)
        switch parameters.mode {
        case .corruption:
            return try CorruptionExperiment(scoring: scoring, parameters: parameters, context: context)
                .run(try ArchitectureList.read(from: inputs))
        case .search:
            return try SearchExperiment(scoring: scoring, parameters: parameters, context: context).run()
        }
    }

    /// The parameters a single score does not depend on: items (one per architecture, or per
    /// architecture, corruption and draw) are shared across modes and schedules.
    static let notScoring: Set<String> = ["mode", "corruptions", "draws", "randomCount", "perturbations", "markovSteps",
                                          "probability", "guidance", "candidates", "gradientLimit"]
}

/// Scores each architecture with its own encoding and with each corruption, paired (same noise).
struct CorruptionExperiment {
    let scoring: ScoringSession
    let parameters: PerturbStage.Parameters
    let context: StageContext

    func run(_ list: ArchitectureList) throws -> StageResult {
        let corrupter = try EncodingCorrupter(space: scoring.trained.space)
        var correct: [Double] = []
        var corrupted = [[Double]](repeating: [], count: parameters.corruptions.count)
        for (index, architecture) in list.architectures.enumerated() {
            correct.append(try scoring.score(architecture).error)
            for (slot, corruption) in parameters.corruptions.enumerated() {
                corrupted[slot].append(try corruptedError(architecture, corruption, corrupter: corrupter))
            }
            context.progress.update(completed: index + 1, total: list.architectures.count, figures: ["correct": correct[index]])
        }
        try list.write(to: context.output)
        try context.output.write("correct_error", correct)
        var columns = [ResultColumn("correct_error", numbers: correct)]
        let correctMean = try Summary(correct).mean
        var metrics: [String: Double] = [:]
        var summary = Table(columns: ["encoding", "mean SMASH error %", "change (pp)", "worse / equal / better", "Wilcoxon p"],
                            alignments: [.left, .right, .right, .right, .right])
        try summary.append(["correct", Table.cell(100 * correctMean, decimals: 2), "", "", ""])
        var bars = [BarChart.Bar(label: "correct", value: 100 * correctMean)]
        for (slot, corruption) in parameters.corruptions.enumerated() {
            let errors = corrupted[slot], name = corruption.rawValue
            try context.output.write("\(name)_error", errors)
            columns.append(ResultColumn("\(name)_error", numbers: errors))
            let mean = try Summary(errors).mean
            metrics[corruption.metricName] = mean
            let worse = zip(errors, correct).filter { $0 > $1 }.count, better = zip(errors, correct).filter { $0 < $1 }.count
            // All-zero differences leave the test undefined: the corruption changed nothing.
            let wilcoxon = try? WilcoxonSignedRank(errors, correct)
            try summary.append([name, Table.cell(100 * mean, decimals: 2), Table.cell(100 * (mean - correctMean), decimals: 2),
                                "\(worse) / \(errors.count - worse - better) / \(better)",
                                wilcoxon.map { $0.pValue < 1e-4 ? "< 0.0001" : Table.cell($0.pValue, decimals: 4) } ?? "–"])
            bars.append(BarChart.Bar(label: name, value: 100 * mean))
        }
        let pairs = corrupted.flatMap { zip($0, correct) }
        let table = try ArchitectureTable.make(name: "corruption", list, input: scoring.input, extra: columns)
        let chart = BarChart(bars: bars, titles: ChartTitles(title: "SMASH error with correct and corrupted encodings",
                                                             yLabel: "mean SMASH validation error %"))
        let markdown = "\(list.architectures.count) architectures scored on \(scoring.validation.count) validation images with their "
            + "own encoding and with corrupted ones (\(parameters.draws) draw(s) each, same noise z).\n\n" + summary.markdown()
        metrics["architectures"] = Double(list.architectures.count)
        metrics["correct_error_mean"] = correctMean
        metrics["corrupted_error_mean"] = try Summary(corrupted.flatMap { $0 }).mean
        metrics["worse_fraction"] = Double(pairs.filter { $0 > $1 }.count) / Double(max(pairs.count, 1))
        return StageResult(metrics: metrics, tables: [table], charts: [ResultChart(name: "corruption", svg: chart.svg())], markdown: markdown)
    }

    /// The mean error over the draws of `corruption`, each a cached item.
    private func corruptedError(_ architecture: Architecture, _ corruption: CorruptionName, corrupter: EncodingCorrupter) throws -> Double {
        var sum = 0.0
        for draw in 0..<parameters.draws {
            let id = "\(ArchitectureList.id(architecture))-\(corruption.rawValue)-\(draw)"
            let artifact = try scoring.items.artifact(for: id) { group in
                var generator = context.random("corruption/\(id)")
                let encoding = try corrupter.encoding(of: architecture, corruption: corruption.corruption, using: &generator)
                let score = try scoring.scorer.score(architecture, encoding: encoding, on: scoring.validation, seed: scoring.seed)
                try group.attributes.set("error", .double(score.error))
            }
            sum += try artifact.root.attributes.double("error")
        }
        return sum / Double(parameters.draws)
    }
}

/// The experiments `perturb` runs.
enum PerturbMode: String, ParameterChoice {
    case corruption, search
}

/// How the Markov chain of a search proposes architectures.
enum GuidanceName: String, ParameterChoice {
    case random, gradient
}

/// The encoding corruptions of paper Sec. 4.2.
enum CorruptionName: String, ParameterChoice {
    case shuffledDilations = "shuffled-dilations"
    case shuffledReads = "shuffled-reads"
    case randomWrites = "random-writes"
    case otherArchitecture = "other-architecture"

    /// The metric with the mean error under this corruption.
    var metricName: String { "\(rawValue)_error_mean" }

    var corruption: EncodingCorruption {
        switch self {
        case .shuffledDilations: .shuffledDilations
        case .shuffledReads: .shuffledReads
        case .randomWrites: .randomWrites
        case .otherArchitecture: .otherArchitecture
        }
    }
}
