import ArgumentParser
import Pipeline

/// `smash verify RESULTSET`: checks a result set against the pipeline's expectations.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a result set against its pipeline's expectations; exit non-zero when one fails.",
        discussion: """
            The expectations are those recorded in the result set's run.json, or with --pipeline those of \
            the spec file as it is now.

            Examples:
              smash verify Results/centroid-curve/latest
              smash verify Results/centroid-curve/latest --pipeline Pipelines/centroid-curve.yaml
            """)

    @Argument(help: "The result set folder.")
    var resultSet: String

    @Option(help: "Check against the expectations of this spec instead of those recorded.")
    var pipeline: String?

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let verification = try reportingPipelineErrors { () throws(PipelineError) -> Verification in
            let set = try ResultSet(path: resultSet)
            let expectations = try pipeline.map { file throws(PipelineError) in
                try readSpec(file, overrides: [], workspace: options.workspace).expectations
            }
            return Verification(set, expectations: expectations)
        }
        print(verification.text(), terminator: "")
        if !verification.passed { throw ExitCode.failure }
    }
}
