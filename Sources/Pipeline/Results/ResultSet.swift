import Foundation

/// A result set read back from `Results/<pipeline>/<run-id>/` (or its `latest` link).
public struct ResultSet: Sendable {
    /// The folder, symlinks resolved.
    public let folder: URL
    /// `run.json`.
    public let record: RunRecord
    /// `metrics.json`: `stage.metric` → value.
    public let metrics: [String: Double]

    /// Reads `run.json` and `metrics.json` of the result set at `path`.
    public init(path: String) throws(PipelineError) {
        let folder = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .invalidResultSet(path: path, reason: "no such folder")
        }
        self.folder = folder
        record = try Self.decode(RunRecord.self, folder.appendingPathComponent("run.json"), path: path)
        metrics = try Self.decode([String: Double].self, folder.appendingPathComponent("metrics.json"), path: path)
    }

    /// The CSV table `table` of this result set.
    public func table(_ table: TableRecord) throws(PipelineError) -> CSVTable {
        let url = folder.appendingPathComponent(table.file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .invalidResultSet(path: folder.path, reason: "\(table.file) is missing")
        }
        return CSVTable(parsing: String(decoding: data, as: UTF8.self))
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ url: URL, path: String) throws(PipelineError) -> T {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .invalidResultSet(path: path, reason: "\(url.lastPathComponent) is missing or unreadable")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw .invalidResultSet(path: path, reason: "\(url.lastPathComponent) does not decode (\(error))")
        }
    }
}

/// The result sets under a results folder.
public struct ResultSetIndex: Sendable {
    /// The results folder (`Results/`).
    public let root: URL

    /// The result sets under `root`.
    public init(root: URL) {
        self.root = root
    }

    /// The run folders of `pipeline`, newest first (run ids sort by time).
    public func runs(of pipeline: String) -> [URL] {
        let folder = root.appendingPathComponent(pipeline, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "latest" }.sorted(by: >).map { folder.appendingPathComponent($0) }
    }

    /// Every result set of every pipeline.
    /// - Throws: the error of the first folder that is not a readable result set.
    public func all() throws(PipelineError) -> [ResultSet] {
        let pipelines = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var sets: [ResultSet] = []
        for pipeline in pipelines.sorted() where !pipeline.hasPrefix(".") {
            for run in runs(of: pipeline) { sets.append(try ResultSet(path: run.path)) }
        }
        return sets
    }

    /// For each of `stages`, its record in the newest result set of `pipeline` that has it.
    /// Reads result sets newest first and stops when every stage is found.
    public func latestRecords(of pipeline: String, stages: [String]) -> [String: StageRecord] {
        var found: [String: StageRecord] = [:]
        for run in runs(of: pipeline) where found.count < stages.count {
            guard let set = try? ResultSet(path: run.path) else { continue }
            for stage in stages where found[stage] == nil {
                if let record = set.record.stage(stage) { found[stage] = record }
            }
        }
        return found
    }
}
