import ArgumentParser
import Kernels
import Pipeline
import Reports

/// `smash run PIPELINE.yaml`: computes stale stages, reuses cached ones, writes a result set.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline: compute stale stages, reuse cached ones, write a result set.",
        discussion: """
            Stages run in dependency order. A stage whose key (kind, version, parameters, upstream keys, \
            dataset fingerprint, seed) has a complete artifact in the cache is not run. The result set goes \
            to Results/<pipeline>/<run-id>/ and Results/<pipeline>/latest points to it.

            Examples:
              smash run Pipelines/centroid-curve.yaml
              smash run Pipelines/centroid-curve.yaml --set stages.centroid.with.subsets=40
              smash run Pipelines/centroid-curve.yaml --until centroid --dry-run
              smash run Pipelines/centroid-curve.yaml --force summary
            """)

    @Argument(help: "The pipeline spec (YAML).")
    var pipeline: String

    @Option(name: .customLong("set"), help: "Override a value: PATH=VALUE, e.g. stages.train.with.epochs=20 (repeatable).")
    var overrides: [String] = []

    @Option(help: "Recompute this stage and its dependents although cached (repeatable).")
    var force: [String] = []

    @Option(help: "Run only this stage and the stages it needs.")
    var until: String?

    @Flag(help: "Show which stages would run and why, without running anything.")
    var dryRun = false

    @Flag(help: "Show no progress on standard error.")
    var quiet = false

    @Option(help: "Kernel threads. Results can differ in the last bits between thread counts (sums split over threads round differently), so keep one count per cache.")
    var threads = 1

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        guard threads > 0 else { throw ValidationError("--threads must be at least 1, not \(threads)") }
        Parallelism.setThreads(threads)
        try reportingPipelineErrors { () throws(PipelineError) in
            let workspace = options.workspace
            let spec = try readSpec(pipeline, overrides: overrides, workspace: workspace)
            let runOptions = RunOptions(force: force, until: until)
            if dryRun {
                printStatuses(try PipelineStatus.evaluate(spec, registry: .standard, workspace: workspace, options: runOptions))
                return
            }
            let display = quiet ? ProgressDisplay(mode: .silent) : ProgressDisplay.standardError()
            let runner = try PipelineRunner(spec: spec, registry: .standard, workspace: workspace, display: display)
            let outcome = try runner.run(runOptions)
            print(summary(outcome))
        }
    }

    /// The stages with their cache outcome and time, the metrics, and the result set's path.
    private func summary(_ outcome: RunOutcome) -> String {
        var stages = Table(columns: ["stage", "kind", "cache", "seconds", "items computed", "items cached"],
                           alignments: [.left, .left, .left, .right, .right, .right])
        for stage in outcome.record.stages {
            let computed = stage.items.map(\.computed).reduce(0, +), cached = stage.items.map(\.hits).reduce(0, +)
            let showsItems = !stage.items.isEmpty && stage.cache != .hit
            try? stages.append([stage.name, stage.kind, stage.cache.rawValue, Table.cell(stage.seconds, decimals: 2),
                                showsItems ? String(computed) : "", showsItems ? String(cached) : ""])
        }
        var metrics = Table(columns: ["metric", "value"], alignments: [.left, .right])
        for stage in outcome.record.stages {
            for name in stage.metrics {
                try? metrics.append(["\(stage.name).\(name)", Table.cell(outcome.results[stage.name]?.metrics[name] ?? .nan, decimals: 6)])
            }
        }
        return stages.markdown() + "\n" + metrics.markdown() + "\nresult set: \(outcome.resultSet.path)"
    }
}
