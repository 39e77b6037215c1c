import ArgumentParser
import Pipeline

/// `smash show FILE.h5`: what an artifact holds. Takes no lock.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List an artifact's attributes and datasets: types, shapes, storage and first values.",
        discussion: """
            Examples:
              smash show .smash/cache/correlate/<key>.h5
              smash show .smash/cache/nearest-centroid/<namespace>.<item>.h5 --values 10
            """)

    @Argument(help: "The HDF5 file.")
    var file: String

    @Option(help: "First values shown per dataset.")
    var values = 6

    func run() throws {
        print(try reportingPipelineErrors { () throws(PipelineError) in try ArtifactDump.describe(file, values: max(0, values)) },
              terminator: "")
    }
}
