import ArgumentParser
import Foundation
import Pipeline

/// `smash gc`: drops cache entries that no result set references.
struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove cache entries no result set references, and partial or corrupt files.",
        discussion: """
            Keeps every stage artifact and item entry recorded in a run.json under the results folder. \
            Refuses to run while a pipeline runs.

            Examples:
              smash gc --dry-run
              smash gc
            """)

    @Flag(help: "Only report what would be removed.")
    var dryRun = false

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let collection = try reportingPipelineErrors { () throws(PipelineError) in
            try CacheCollector.collect(options.workspace, dryRun: dryRun)
        }
        let verb = dryRun ? "would remove" : "removed"
        for entry in collection.report.removed {
            print("\(verb) \(entry.kind)/\(entry.key) (\(entry.state)\(entry.detail.map { ": \($0)" } ?? ""))")
        }
        for folder in collection.removedCheckpoints { print("\(verb) checkpoint \(folder.path)") }
        for entry in collection.report.inUse { print("kept \(entry.kind)/\(entry.key): being written by a running process") }
        let megabytes = String(format: "%.1f MB", Double(collection.report.freedBytes) / 1_000_000)
        print("\(collection.resultSets) result sets reference \(collection.report.kept.count) entries, kept; "
              + "\(verb) \(collection.report.removed.count) entries (\(megabytes)).")
    }
}
