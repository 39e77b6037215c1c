import DatasetIO
import Reports
import SMASH

/// Scores architectures with a trained SMASH network: the validation error (and loss) of each
/// with HyperNet-generated weights, batch norm in evaluation mode. One cached item per
/// architecture and network, so adding architectures scores only the new ones. With several
/// `train-smash` stages (replicas, paper Fig. 5b) the score is their mean, and each network's
/// error is a column of its own.
struct ScoreStage: StageKind {
    static let name = "score"
    static let version = 1
    static let summary = "SMASH score of each architecture: validation error with generated weights (one item each)."
    static let usesDataset = true
    static let usesSeed = true
    static let metricNames = ["architectures", "networks", "error_mean", "error_min", "error_max", "images"]

    struct Parameters: StageParameters {
        /// Validation images scored per architecture; 0 for the whole validation split.
        var limit = 0
        /// Images per forward pass.
        var batchSize = 100
        /// Batch-norm statistics: `running` (accumulated in SMASH training, the authors' code) or
        /// `batch` (each batch's own).
        var statistics = EvaluationStatistics.running

        static let rules: [ParameterRule] = [.atLeast("limit", 0), .range("batchSize", 1...10_000)]

        func validate(_ stage: StageOutline) throws(PipelineError) {
            try stage.requireNeeds(ofKind: [TrainedSmashNetwork.kind], count: 1...Int.max, role: "trained SMASH network")
            try stage.requireNeeds(ofKind: ArchitectureList.producerKinds, count: 1...Int.max, role: "architecture source")
        }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let networks = inputs.all.filter { $0.kind == TrainedSmashNetwork.kind }
        let sessions = try networks.map {
            try ScoringSession(inputs, network: $0, limit: parameters.limit, batchSize: parameters.batchSize,
                               statistics: parameters.statistics, context: context)
        }
        let list = try ArchitectureList.read(from: inputs)
        let count = list.architectures.count
        // scores[network][architecture]
        var scores = [[SmashScore]](repeating: [], count: sessions.count)
        for (index, architecture) in list.architectures.enumerated() {
            for (slot, session) in sessions.enumerated() { scores[slot].append(try session.score(architecture)) }
            context.progress.update(completed: index + 1, total: count, figures: [
                "error": scores[0][index].error, "cached": Double(sessions.reduce(0) { $0 + $1.items.hits }),
            ])
        }
        let errors = (0..<count).map { index in scores.reduce(0) { $0 + $1[index].error } / Double(sessions.count) }
        let losses = (0..<count).map { index in scores.reduce(0) { $0 + $1[index].loss } / Double(sessions.count) }
        try list.write(to: context.output)
        try context.output.write("smash_error", errors)
        try context.output.write("smash_loss", losses)
        var columns = [ResultColumn("smash_error", numbers: errors), ResultColumn("smash_loss", numbers: losses)]
        if sessions.count > 1 {
            for (slot, network) in networks.enumerated() {
                try context.output.write("smash_error_\(network.stage)", scores[slot].map(\.error))
                columns.append(ResultColumn("smash_error_\(network.stage)", numbers: scores[slot].map(\.error)))
            }
        }
        let session = sessions[0]
        let table = try ArchitectureTable.make(name: "scores", list, input: session.input, extra: columns)
        let mean = zip(errors, losses).map { SmashScore(error: $0, loss: $1, count: session.validation.count) }
        return try report(list, scores: mean, table: table, networks: networks.map(\.stage), sessions: sessions)
    }

    private func report(_ list: ArchitectureList, scores: [SmashScore], table: ResultTable, networks: [String],
                        sessions: [ScoringSession]) throws -> StageResult {
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
        let computed = sessions.reduce(0) { $0 + $1.items.computed }, cached = sessions.reduce(0) { $0 + $1.items.hits }
        var markdown = "\(list.architectures.count) architectures scored on \(sessions[0].validation.count) validation images by "
            + (networks.count == 1 ? "the SMASH network of `\(networks[0])`" : "the mean of the SMASH networks "
                + networks.map { "`\($0)`" }.joined(separator: ", "))
            + " (\(computed) scores computed, \(cached) from the cache): SMASH error \(Table.cell(100 * errors.mean, decimals: 2))% "
            + "on average, \(Table.cell(100 * errors.minimum, decimals: 2))% to \(Table.cell(100 * errors.maximum, decimals: 2))%.\n\n"
            + best.markdown()
        if let first = ranked.first {
            markdown += "\nBest architecture `\(list.ids[first])`:\n\n```\n\(try list.architectures[first].renderText())```\n"
        }
        return StageResult(metrics: ["architectures": Double(list.architectures.count), "networks": Double(networks.count),
                                     "error_mean": errors.mean, "error_min": errors.minimum, "error_max": errors.maximum,
                                     "images": Double(sessions[0].validation.count)],
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

    /// A session over the network of the `train-smash` input `network` (the only one when nil);
    /// items leave out the architecture sources, the other networks and the parameters named in
    /// `excluding`.
    init(_ inputs: StageInputs, network: StageInput? = nil, limit: Int, batchSize: Int, statistics: EvaluationStatistics,
         context: StageContext, excluding: Set<String> = []) throws {
        trained = try network.map(TrainedSmashNetwork.read) ?? TrainedSmashNetwork.read(from: inputs, stage: context.stage)
        validation = try trained.validation(of: try context.dataset(), limit: limit, stage: context.stage, kind: context.kind)
        scorer = try SmashScorer(network: trained.network, batchSize: batchSize, statistics: statistics)
        let otherNetworks = network.map { chosen in
            inputs.all.filter { $0.kind == TrainedSmashNetwork.kind && $0.stage != chosen.stage }.map(\.stage)
        } ?? []
        items = try context.items(excludingParameters: excluding,
                                  excludingInputs: ArchitectureList.sourceStages(in: inputs).union(otherNetworks))
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

extension EvaluationStatistics: ParameterChoice {}
