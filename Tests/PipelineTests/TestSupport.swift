import Artifacts
import DatasetIO
import Foundation
import Randomness
import Testing
@testable import Pipeline

/// A scratch workspace: a catalog with a small synthetic dataset (`blocks`), a cache and a
/// results folder, all under one temporary folder removed by `cleanUp()`.
struct TestWorkspace {
    let folder: URL
    let workspace: Workspace

    /// Number of examples in the `blocks` dataset, and its classes.
    static let exampleCount = 240
    static let classNames = ["top", "upper", "lower", "bottom"]

    init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("smash-pipeline-tests-\(UUID().uuidString)", isDirectory: true)
        let catalog = folder.appendingPathComponent("Datasets", isDirectory: true)
        try FileManager.default.createDirectory(at: catalog, withIntermediateDirectories: true)
        try Self.writeBlocks(named: "blocks", count: Self.exampleCount, seed: 42, into: catalog)
        try Self.writeBlocks(named: "few-blocks", count: 120, seed: 43, into: catalog)
        workspace = Workspace(store: ArtifactStore(root: folder.appendingPathComponent(".smash/cache", isDirectory: true)),
                              catalog: DatasetCatalog(folder: catalog.path),
                              results: folder.appendingPathComponent("Results", isDirectory: true), environment: [:])
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes `text` to `name` in the folder; returns the path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Reads and validates a spec file with the standard kinds plus the test kinds.
    func spec(_ file: String, overrides: [String] = []) throws -> PipelineSpec {
        try SpecReader(registry: testRegistry, catalog: workspace.catalog).read(file: file, overrides: overrides)
    }

    /// Runs a spec file quietly.
    func run(_ file: String, overrides: [String] = [], options: RunOptions = RunOptions()) throws -> RunOutcome {
        let runner = try PipelineRunner(spec: try spec(file, overrides: overrides), registry: testRegistry,
                                        workspace: workspace, display: ProgressDisplay(mode: .silent))
        return try runner.run(options)
    }

    /// The statuses of a spec file.
    func status(_ file: String, overrides: [String] = []) throws -> [String: StageStatus] {
        let statuses = try PipelineStatus.evaluate(try spec(file, overrides: overrides), registry: testRegistry, workspace: workspace)
        return Dictionary(uniqueKeysWithValues: statuses.map { ($0.stage, $0) })
    }

    /// A `blocks` dataset: 8x8 digits-CSV images in four classes, each lighting two rows of the
    /// image at a class-specific height, with seeded noise; separable but not trivially.
    private static func writeBlocks(named name: String, count: Int, seed: UInt64, into catalog: URL) throws {
        var generator = SeededGenerator(seed: seed)
        var lines: [String] = []
        for index in 0..<count {
            let label = index % classNames.count
            let pixels = (0..<64).map { pixel -> Int in
                let row = pixel / 8
                let base = row / 2 == label ? 9 : 4
                return max(0, min(16, base + generator.int(in: -8...8)))
            }
            lines.append((pixels + [label]).map(String.init).joined(separator: ","))
        }
        try (lines.joined(separator: "\n") + "\n").write(to: catalog.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
        let descriptor = """
            name: \(name)
            description: synthetic 8x8 blocks in four classes, for tests
            format: digits-csv
            provider: { note: written by the tests }
            location: { folder: \(catalog.path), subfolder: \(name) }
            files: { data: \(name).csv }
            shape: { channels: 1, height: 8, width: 8 }
            examples: { train: \(count) }
            classes: [\(classNames.joined(separator: ", "))]
            normalization: none
            splits: { validation: 40, test: 40 }
            """
        try descriptor.write(to: catalog.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    }
}

/// The standard kinds plus the test-only ones.
let testRegistry = StageRegistry.standard.adding([FailingStage.self, ConstantStage.self, ResumableStage.self])

/// A test-only stage that fails when told to (after writing part of its artifact).
struct FailingStage: StageKind {
    static let name = "test-failing"
    static let version = 1
    static let summary = "Fails when `fail` is true."
    static let metricNames = ["value"]

    struct Parameters: StageParameters {
        var fail = true
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "the test stage was told to fail" }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        try context.output.write("partial", [1.0, 2.0])
        if parameters.fail { throw Failure() }
        return StageResult(metrics: ["value": 1])
    }
}

/// A test-only stage that reports a constant and a per-item table, to exercise the schema with
/// every parameter type.
struct ConstantStage: StageKind {
    static let name = "test-constant"
    static let version = 3
    static let summary = "Reports `value` as a metric and `items` rows."
    static let metricNames = ["value"]

    enum Mode: String, ParameterChoice { case plain, fancy }

    struct Parameters: StageParameters {
        var value = 1.5
        var count = 3
        var label = "x"
        var enabled = false
        var mode = Mode.plain
        var sizes = [1, 2]
        var weights: [Double] = []
        var modes = [Mode.plain]

        static let rules: [ParameterRule] = [.range("count", 0...10), .atLeast("value", -100), .nonEmpty("label")]
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        let ids = (0..<parameters.count).map { "i\($0)" }
        let table = try ResultTable(name: "items", itemColumn: "id", columns: [
            ResultColumn("id", texts: ids), ResultColumn("score", numbers: ids.indices.map { Double($0) * parameters.value }),
        ])
        return StageResult(metrics: ["value": parameters.value], tables: [table], markdown: "constant \(parameters.value)")
    }
}

/// A test-only long stage: counts `steps` steps, saving a checkpoint after each; it stops with
/// an error after step 3 while the file `stopFile` exists (removing it), as a killed run would,
/// and resumes from its checkpoint on the next run.
struct ResumableStage: StageKind {
    static let name = "test-resumable"
    static let version = 1
    static let summary = "Counts steps with a checkpoint after each."
    static let metricNames = ["steps", "resumed_from"]

    struct Parameters: StageParameters {
        var steps = 6
        var stopFile = ""
    }

    struct Stopped: Error, CustomStringConvertible {
        var description: String { "stopped after step 3" }
    }

    func run(_ inputs: StageInputs, _ parameters: Parameters, _ context: StageContext) throws -> StageResult {
        var step = 0
        if let saved = try context.checkpoint.load() { step = Int(try saved.root.attributes.int("step")) }
        let resumedFrom = step
        while step < parameters.steps {
            step += 1
            try context.checkpoint.save { try $0.attributes.set("step", .int(Int64(step))) }
            context.progress.update(completed: step, total: parameters.steps)
            if step == 3, FileManager.default.fileExists(atPath: parameters.stopFile) {
                try FileManager.default.removeItem(atPath: parameters.stopFile)
                throw Stopped()
            }
        }
        return StageResult(metrics: ["steps": Double(step), "resumed_from": Double(resumedFrom)])
    }
}

/// Output and exit status of a finished program.
struct ProgramResult {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

/// Runs the `smash` binary built next to the test bundle, in `folder`, with `environment` added.
func runSmash(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> ProgramResult {
    let process = Process()
    process.executableURL = try smashBinary()
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProgramResult(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
}

/// The `smash` executable of this build (the test target depends on it, so it is built first).
func smashBinary() throws -> URL {
    let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL,
                      Bundle.main.bundleURL.deletingLastPathComponent()]
    for folder in candidates {
        let url = folder.appendingPathComponent("smash")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw SmashNotFound(searched: candidates.map(\.path))
}

struct SmashNotFound: Error, CustomStringConvertible {
    let searched: [String]
    var description: String { "the smash binary is not next to the tests (searched \(searched.joined(separator: ", ")))" }
}

/// A pipeline of real stages over `blocks`: a summary, a nearest-centroid learning curve (items)
/// and the correlation of accuracy with subset size.
let curvePipeline = """
    pipeline: curve
    description: nearest-centroid accuracy against subset size
    dataset: blocks
    seed: 7
    stages:
      summary: { run: dataset-summary }
      centroid:
        run: nearest-centroid
        with: { subsets: 9, sizes: [1, 3, 10] }
      correlation:
        run: correlate
        needs: [centroid]
        with: { x: centroid.subsets.per_class, y: centroid.subsets.accuracy, resamples: 50 }
    expect:
      centroid.accuracy_mean: { min: 0.5, tolerance: 0.05 }
      summary.classes: { equals: 4 }
    """
