import ArgumentParser

/// The `smash` command: runs SMASH pipelines and inspects their results.
@main
struct Smash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smash",
        abstract: "One-shot model architecture search through HyperNetworks, from config files.",
        subcommands: [Bench.self, Datasets.self, Train.self, Run.self, Status.self, Diff.self, Verify.self, Show.self, ArchitectureCommand.self, GC.self]
    )
}
