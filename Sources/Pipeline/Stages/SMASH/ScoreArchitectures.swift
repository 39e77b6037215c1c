import DatasetIO
import Reports
import SMASH

/// Scores architectures with a trained SMASH network: the validation error (and loss) of each
/// with HyperNet-generated weights, batch norm in evaluation mode. One cached item per
/// architecture, so adding architectures scores only the new ones.
struct ScoreStage: StageKind {
    static let name = "score"
    static let version = 1
    static let summary = "SMASH score of each architecture: validation error with generated weights (one item each)."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = ["architectures", "error_mean", "error_min", "error_max", "images"]

    struct Parameters: StageParameters {
        /// Validation images scored per architecture; 0 for the whole validation split.
        var limit = 0
        /// Images per forward pass.
        var batchSize = 100

        static let rules: [ParameterRule] = [.atLeast("limit", 0), .range("batchSize", 1...10_000)]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            try stage.requireNeeds(ofKind: [TrainedSmashNetwork.kind], count: 1...1, role: "the trained SMASH network")
            try stage.requireNeeds(ofKind: ArchitectureList.producerKinds, count: 1...Int.max, role: "architecture source")
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let scoring = try ScoringSession(inputs, limit: parameters.limit, batchSize: parameters.batchSize, context: context)
        let list = try ArchitectureList.read(from: inputs)
        var scores: [SmashScore] = []
        for (index, architecture) in list.architectures.enumerated() {
            scores.append(try scoring.score(architecture))
            context.progress.update(completed: index + 1, total: list.architectures.count,
                                    figures: ["error": scores[index].error, "cached": Double(scoring.items.hits)])
        }
        try list.write(to: context.output)
        try context.output.write("smash_error", scores.map(\.error))
        try context.output.write("smash_loss", scores.map(\.loss))
        let table = try ArchitectureTable.make(name: "scores", list, input: scoring.input, extra: [
            ResultColumn("smash_error", numbers: scores.map(\.error)), ResultColumn("smash_loss", numbers: scores.map(\.loss)),
        ])
        let errors = try Summary(scores.map(\.error))
        let ranked = list.architectures.indices.sorted { ArchitectureSearch.isBetter(scores[$0], than: scores[$1]) }
        var best = Table(columns: ["rank", "architecture", "SMASH error %", "loss", "ops"], alignments: [.right, .left, .right, .right, .right])
        for (rank, index) in ranked.prefix(10).enumerated() {
            try best.append([String(rank + 1), list.ids[index], Table.cell(100 * scores[index].error, decimals: 2),
                             Table.cell(scores[index].loss, decimals: 4), String(list.architectures[index].opCount)])
        }
        let chart = ScatterChart(points: zip(table.numbers("params") ?? [], scores).map { ScatterChart.Point(x: $0, y: $1.error) },
                                 titles: ChartTitles(title: "SMASH score against size", xLabel: "parameters of the resulting network",
                                                     yLabel: "SMASH validation error"), showsFitLine: false)
        var markdown = "\(list.architectures.count) architectures scored on \(scoring.validation.count) validation images "
            + "(\(scoring.items.computed) computed, \(scoring.items.hits) from the cache): SMASH error "
            + "\(Table.cell(100 * errors.mean, decimals: 2))% on average, \(Table.cell(100 * errors.minimum, decimals: 2))% "
            + "to \(Table.cell(100 * errors.maximum, decimals: 2))%.\n\n" + best.markdown()
        if let first = ranked.first {
            markdown += "\nBest architecture `\(list.ids[first])`:\n\n```\n\(try list.architectures[first].renderText())```\n"
        }
        return StageResult(metrics: ["architectures": Double(list.architectures.count), "error_mean": errors.mean,
                                     "error_min": errors.minimum, "error_max": errors.maximum,
                                     "images": Double(scoring.validation.count)],
                           tables: [table], charts: [ResultChart(name: "score-vs-params", svg: chart.svg())], markdown: markdown)
    }
}

/// Scores architectures on a trained SMASH network's validation images through a stage's item
/// cache: shared by `score` and `perturb`.
struct ScoringSession {
    let trained: TrainedSmashNetwork
    let validation: Dataset
    let scorer: SmashScorer
    let items: ItemCache
    let seed: UInt64
    /// The images the resulting networks would classify.
    let input: NetworkInput

    /// A session over the single `train-smash` input; items leave out the architecture sources
    /// and the parameters named in `excluding`.
    init(_ inputs: StageInputs, limit: Int, batchSize: Int, context: StageContext, excluding: Set<String> = []) throws {
        trained = try TrainedSmashNetwork.read(from: inputs, stage: context.stage)
        validation = try trained.validation(of: try context.dataset(), limit: limit, stage: context.stage, kind: context.kind)
        scorer = try SmashScorer(network: trained.network, batchSize: batchSize)
        items = try context.items(excludingParameters: excluding, excludingInputs: ArchitectureList.sourceStages(in: inputs))
        seed = context.seed
        input = NetworkInput(channels: validation.shape.channels, height: validation.shape.height, width: validation.shape.width,
                             classes: validation.classCount)
    }

    /// The SMASH score of `architecture`, from the cache when it was scored before.
    func score(_ architecture: Architecture) throws -> SmashScore {
        let artifact = try items.artifact(for: ArchitectureList.id(architecture)) { group in
            let score = try scorer.score(architecture, on: validation, seed: seed)
            try group.attributes.set("error", .double(score.error))
            try group.attributes.set("loss", .double(score.loss))
            try group.attributes.set("count", .int(Int64(score.count)))
        }
        let attributes = artifact.root.attributes
        return SmashScore(error: try attributes.double("error"), loss: try attributes.double("loss"), count: Int(try attributes.int("count")))
    }
}
