import Artifacts
import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#endif

/// Writes a result set: `run.json`, `metrics.json`, `report.md`, one CSV per table and one SVG
/// per chart, into a hidden temporary folder that is renamed into place when complete; then
/// points `latest` at it.
struct ResultSetWriter {
    /// The pipeline's results folder, `Results/<pipeline>`.
    let folder: URL

    /// A sortable run id: UTC start time, then 8 hex digits of the hash of every stage key.
    static func runID(started: Date, keys: [String]) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: started) + "-" + String(SHA256.hex(of: keys.joined(separator: ",")).prefix(8))
    }

    /// Writes the result set; returns its folder. `record.runID` is made unique with a `-2`, `-3`
    /// suffix when a result set of that id exists.
    func write(_ record: RunRecord, results: [String: StageResult]) throws(PipelineError) -> (URL, RunRecord) {
        var record = record
        try make(folder)
        removeAbandonedTemporaries()
        var suffix = 1
        let base = record.runID
        while FileManager.default.fileExists(atPath: folder.appendingPathComponent(record.runID).path) {
            suffix += 1
            record.runID = "\(base)-\(suffix)"
        }
        let temporary = folder.appendingPathComponent(".\(record.runID).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try make(temporary)
        var metrics: [String: Double] = [:]
        for stage in record.stages {
            for (name, value) in results[stage.name]?.metrics ?? [:] { metrics["\(stage.name).\(name)"] = value }
        }
        for stage in record.stages {
            guard let result = results[stage.name] else { continue }
            for table in result.tables {
                try write(table.rendered().csv(), to: temporary.appendingPathComponent("\(stage.name).\(table.name).csv"))
            }
            for chart in result.charts {
                try write(chart.svg, to: temporary.appendingPathComponent("\(stage.name).\(chart.name).svg"))
            }
        }
        try write(try Self.json(record), to: temporary.appendingPathComponent("run.json"))
        try write(try Self.json(metrics), to: temporary.appendingPathComponent("metrics.json"))
        try write(ReportWriter.markdown(record, results: results, metrics: metrics),
                  to: temporary.appendingPathComponent("report.md"))
        let destination = folder.appendingPathComponent(record.runID, isDirectory: true)
        try publish(temporary, to: destination)
        try pointLatest(at: record.runID)
        return (destination, record)
    }

    /// Pretty JSON with sorted keys.
    static func json<T: Encodable>(_ value: T) throws(PipelineError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            throw .writeFailed(path: "JSON", reason: "\(error)")
        }
    }

    /// Replaces the `latest` link atomically (a new link renamed over the old one).
    private func pointLatest(at runID: String) throws(PipelineError) {
        let link = folder.appendingPathComponent("latest")
        let temporary = folder.appendingPathComponent(".latest.\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(at: temporary)
        do {
            try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: runID)
        } catch {
            throw .writeFailed(path: link.path, reason: error.localizedDescription)
        }
        try publish(temporary, to: link)
    }

    /// Renames a finished temporary file, link or folder over `destination`, durably.
    private func publish(_ temporary: URL, to destination: URL) throws(PipelineError) {
        do {
            try AtomicFile.publish(temporary, to: destination)
        } catch {
            throw .writeFailed(path: destination.path, reason: error.description)
        }
    }

    /// Writes `text` to `url` (not atomically: the folder it is in is published afterwards).
    private func write(_ text: String, to url: URL) throws(PipelineError) {
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw .writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    private func make(_ url: URL) throws(PipelineError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Removes hidden temporary result sets of processes that no longer run (killed mid-write).
    private func removeAbandonedTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.split(separator: ".")
            guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]), !ProcessLiveness.isAlive(pid) else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

/// Whether a process still runs.
enum ProcessLiveness {
    static func isAlive(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
