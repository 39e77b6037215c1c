import Reports
import SMASH

/// The search of paper App. C on a trained SMASH network: random architectures, perturbations of
/// the best, then a Markov chain that accepts only improvements; its proposals are random or
/// picked by the architecture gradient dE/dc (Sec. 4.2). Writes the best architecture as the
/// stage's list.
struct SearchExperiment {
    let scoring: ScoringSession
    let parameters: PerturbStage.Parameters
    let context: StageContext

    func run() throws -> StageResult {
        let p = parameters
        let options = SearchOptions(randomCount: p.randomCount, perturbationCount: p.perturbations, markovSteps: p.markovSteps,
                                    probability: p.probability,
                                    guidance: p.guidance == .gradient ? .gradient(candidates: p.candidates) : .random, seed: context.seed)
        let search = try ArchitectureSearch(space: scoring.trained.space, options: options)
        let total = p.randomCount + p.perturbations + p.markovSteps
        var best = 1.0
        let progress: (SearchEntry) -> Void = { entry in
            best = min(best, entry.score.error)
            context.progress.update(completed: self.scoring.items.hits + self.scoring.items.computed, total: total,
                                    figures: ["best": best, "cached": Double(self.scoring.items.hits)])
        }
        let entries: [SearchEntry]
        if p.guidance == .gradient {
            let gradient = ArchitectureGradient(scorer: scoring.scorer)
            let limit = p.gradientLimit > 0 ? min(p.gradientLimit, scoring.validation.count) : nil
            entries = try search.run(score: scoring.score, propose: gradient.proposer(on: scoring.validation, seed: scoring.seed, limit: limit),
                                     progress: progress)
        } else {
            entries = try search.run(score: scoring.score, progress: progress)
        }
        return try report(entries)
    }

    private func report(_ entries: [SearchEntry]) throws -> StageResult {
        guard let best = ArchitectureSearch.best(of: entries) else {
            throw PipelineError.stageFailed(stage: context.stage, kind: context.kind, reason: "the search scored no architecture")
        }
        let list = ArchitectureList(architectures: [best.architecture])
        try list.write(to: context.output)
        try context.output.write("smash_error", [best.score.error])
        try context.output.write("smash_loss", [best.score.loss])
        let errors = entries.map(\.score.error)
        try context.output.write("search_error", errors)
        var runningBest: [Double] = []
        for error in errors { runningBest.append(min(runningBest.last ?? error, error)) }
        let steps = (1...entries.count).map(Double.init)
        let table = try ResultTable(name: "search", itemColumn: "step", columns: [
            ResultColumn("step", texts: (1...entries.count).map(String.init)),
            ResultColumn("phase", texts: entries.map(\.phase.rawValue)),
            ResultColumn("architecture", texts: entries.map { ArchitectureList.id($0.architecture) }),
            ResultColumn("smash_error", numbers: errors), ResultColumn("smash_loss", numbers: entries.map(\.score.loss)),
            ResultColumn("accepted", numbers: entries.map { $0.accepted ? 1 : 0 }),
        ])
        let chart = LineChart(series: [
            LineChart.Series(name: "scored", x: steps, y: errors), LineChart.Series(name: "best so far", x: steps, y: runningBest),
        ], titles: ChartTitles(title: "Search (\(parameters.guidance.rawValue) proposals)", xLabel: "architectures scored",
                               yLabel: "SMASH validation error"))
        var phases = Table(columns: ["phase", "scored", "best SMASH error %"], alignments: [.left, .right, .right])
        var phaseBest: [SearchEntry.Phase: Double] = [:]
        for phase in [SearchEntry.Phase.random, .perturbation, .markov] {
            let scored = entries.filter { $0.phase == phase }
            guard let top = ArchitectureSearch.best(of: scored) else { continue }
            phaseBest[phase] = top.score.error
            try phases.append([phase.rawValue, String(scored.count), Table.cell(100 * top.score.error, decimals: 2)])
        }
        let accepted = entries.filter(\.accepted).count
        let markdown = "Search on \(scoring.validation.count) validation images: \(entries.count) architectures scored "
            + "(\(scoring.items.hits) from the cache), \(accepted) Markov steps accepted, \(parameters.guidance.rawValue) proposals. "
            + "Best `\(ArchitectureList.id(best.architecture))` (\(best.phase.rawValue) phase): SMASH error "
            + "\(Table.cell(100 * best.score.error, decimals: 2))%.\n\n" + phases.markdown()
            + "\n```\n\(try best.architecture.renderText())```\n"
        return StageResult(metrics: [
            "best_error": best.score.error, "random_best_error": phaseBest[.random] ?? best.score.error,
            "scored": Double(entries.count), "accepted": Double(accepted),
        ], tables: [table], charts: [ResultChart(name: "search", svg: chart.svg())], markdown: markdown)
    }
}
