import ArgumentParser
import Pipeline

/// `smash status PIPELINE.yaml`: per stage, cached or stale and why. Takes no lock.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which stages of a pipeline are cached and why the others would run.",
        discussion: """
            A stale stage's reasons compare its key with the one the newest result set of the pipeline \
            recorded: which parameter path, upstream stage, dataset or seed changed, or that its artifact \
            is missing, incomplete or corrupt. Reads only; never waits on a running pipeline.

            Examples:
              smash status Pipelines/centroid-curve.yaml
              smash status Pipelines/centroid-curve.yaml --set stages.centroid.with.subsets=40
            """)

    @Argument(help: "The pipeline spec (YAML).")
    var pipeline: String

    @Option(name: .customLong("set"), help: "Override a value as `run` would: PATH=VALUE (repeatable).")
    var overrides: [String] = []

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        try reportingPipelineErrors { () throws(PipelineError) in
            let workspace = options.workspace
            let spec = try readSpec(pipeline, overrides: overrides, workspace: workspace)
            printStatuses(try PipelineStatus.evaluate(spec, registry: .standard, workspace: workspace))
        }
    }
}
