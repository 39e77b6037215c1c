/// The contents of a result set's `run.json`: the resolved spec, each stage's key and key
/// document, cache hits and misses, timings, the machine and the code version.
public struct RunRecord: Codable, Sendable {
    /// The `run.json` format; bumped on incompatible changes.
    public var format = 1
    /// The pipeline's name.
    public var pipeline: String
    /// The result set's folder name, e.g. `20261129-013500-1a2b3c4d`.
    public var runID: String
    /// The pipeline's description.
    public var description: String
    /// The spec file, as given on the command line.
    public var specFile: String
    /// The `--set` arguments, in order.
    public var overrides: [String]
    /// `--until` of the run, if any.
    public var until: String?
    /// `--force` stages of the run.
    public var forced: [String]
    /// The pipeline's dataset.
    public var dataset: String?
    /// The pipeline seed.
    public var seed: UInt64
    /// The stages the run computed or reused, in the order it handled them.
    public var stages: [StageRecord]
    /// The spec's `expect`.
    public var expectations: [Expectation]
    /// The CSV tables of the result set.
    public var tables: [TableRecord]
    /// When the run started (ISO 8601, UTC).
    public var started: String
    /// How long it took.
    public var seconds: Double
    /// Where it ran.
    public var machine: MachineRecord
    /// `git describe --always --dirty` of the working directory when the run started, if available.
    public var codeVersion: String?
    /// The artifact cache it used, relative to the working directory when inside it.
    public var cache: String

    /// The record of stage `name`.
    public func stage(_ name: String) -> StageRecord? {
        stages.first { $0.name == name }
    }
}

/// Whether a stage came from the cache.
public enum CacheOutcome: String, Codable, Sendable {
    /// Served from the cache; nothing ran.
    case hit
    /// Not in the cache; computed.
    case miss
    /// Recomputed on request (`--force`).
    case forced
}

/// One stage of a run.
public struct StageRecord: Codable, Sendable {
    /// The stage's name.
    public var name: String
    /// Its kind.
    public var kind: String
    /// The kind's version.
    public var version: Int
    /// The stages it needs.
    public var needs: [String]
    /// The dataset it read, if any.
    public var dataset: String?
    /// Every parameter, defaults filled in.
    public var parameters: [String: JSONValue]
    /// The artifact's key.
    public var key: String
    /// The document the key hashes (compared by `status` to explain staleness).
    public var keyDocument: JSONValue
    /// Whether it came from the cache.
    public var cache: CacheOutcome
    /// Seconds spent on the stage in this run (looking it up, for hits).
    public var seconds: Double
    /// The item caches of the stage, with the items served and computed in this run (both 0
    /// when the whole stage came from the cache).
    public var items: [ItemRecord]
    /// The metric names it reported.
    public var metrics: [String]
}

/// An item cache used by a stage.
public struct ItemRecord: Codable, Sendable, Equatable {
    /// The item namespace (kept by `gc` while a result set references it).
    public var namespace: String
    /// Items served from the cache.
    public var hits: Int
    /// Items computed.
    public var computed: Int
}

/// A CSV table of a result set.
public struct TableRecord: Codable, Sendable, Equatable {
    /// The stage that made it.
    public var stage: String
    /// The table's name within the stage.
    public var name: String
    /// The file, `<stage>.<name>.csv`.
    public var file: String
    /// The column of item ids, if the rows are items.
    public var itemColumn: String?
    /// The column names.
    public var columns: [String]
}

/// The machine a run used.
public struct MachineRecord: Codable, Sendable, Equatable {
    /// Logical cores available.
    public var cores: Int
    /// The operating system's version string.
    public var operatingSystem: String
    /// The Swift compiler the code was built with.
    public var swift: String
    /// The host's name.
    public var host: String
}
