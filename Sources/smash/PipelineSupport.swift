import ArgumentParser
import DatasetIO
import Foundation
import Pipeline

/// Options every pipeline command shares: where datasets and result sets are.
struct WorkspaceOptions: ParsableArguments {
    @Option(help: "The folder of dataset descriptors.")
    var catalog: String = DatasetCatalog.defaultFolder

    @Option(help: "The folder of result sets.")
    var results: String = "Results"

    /// The workspace: these folders and the cache ($SMASH_CACHE or .smash/cache).
    var workspace: Workspace {
        Workspace.standard(catalog: catalog, results: results)
    }
}

/// Reads and validates a spec with `--set` overrides against the standard stage kinds.
func readSpec(_ file: String, overrides: [String], workspace: Workspace) throws(PipelineError) -> PipelineSpec {
    try SpecReader(registry: .standard, catalog: workspace.catalog).read(file: file, overrides: overrides)
}

/// Runs `body`, printing a pipeline error as one line on standard error and exiting non-zero.
func reportingPipelineErrors<T>(_ body: () throws(PipelineError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Prints stage statuses: name, kind, key, state, then the reasons and notes indented below.
func printStatuses(_ statuses: [StageStatus]) {
    let nameWidth = max(5, statuses.map(\.stage.count).max() ?? 0)
    let kindWidth = max(4, statuses.map(\.kind.count).max() ?? 0)
    for status in statuses {
        let key = status.key.map { String($0.prefix(12)) } ?? "-"
        print([status.stage.padding(toLength: nameWidth, withPad: " ", startingAt: 0),
               status.kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0),
               key.padding(toLength: 12, withPad: " ", startingAt: 0), status.state.rawValue].joined(separator: "  "))
        for reason in status.reasons { print("    why: \(reason)") }
        for note in status.notes { print("    note: \(note)") }
    }
}
