import ArgumentParser
import Pipeline

/// `smash diff A B`: parameters, metrics and per-item tables of two result sets.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two result sets: parameters, metrics (with tolerance verdicts) and per-item tables.",
        discussion: """
            Metrics are shown old → new with their delta; a metric with an expectation gets the verdict \
            'within tolerance' or 'beyond tolerance' (from its `tolerance`), or 'fails expect'. Per-item \
            tables are joined by item id. Reads only; never waits on a running pipeline.

            Examples:
              smash diff Results/centroid-curve/20261129-013500-1a2b3c4d Results/centroid-curve/latest
              smash diff A B --json > diff.json
              smash diff A B --check          # exit 1 when a metric leaves its tolerance
            """)

    @Argument(help: "The older result set.")
    var old: String

    @Argument(help: "The newer result set.")
    var new: String

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Flag(help: "Print the comparison as Markdown.")
    var md = false

    @Option(help: "Changed items listed per table (text and Markdown).")
    var limit = 20

    @Flag(help: "Exit non-zero when a metric fails its expectation or changes beyond its tolerance.")
    var check = false

    func validate() throws {
        guard !(json && md) else { throw ValidationError("--json and --md exclude each other") }
        guard limit >= 0 else { throw ValidationError("--limit must be at least 0") }
    }

    func run() throws {
        let diff = try reportingPipelineErrors { () throws(PipelineError) in
            let diff = try ResultDiff.compare(try ResultSet(path: old), try ResultSet(path: new))
            print(json ? try diff.json() : (md ? diff.markdown(itemLimit: limit) : diff.text(itemLimit: limit)), terminator: "")
            return diff
        }
        if check && !diff.withinTolerance { throw ExitCode.failure }
    }
}
