import Foundation
import Testing
@testable import Pipeline

/// The `smash` pipeline commands, run as a user would.
@Suite struct CommandLineTests {
    private let environment = ["SMASH_CACHE": ".smash/cache"]

    private func smash(_ arguments: [String], _ scratch: TestWorkspace) throws -> ProgramResult {
        try runSmash(arguments + (["run", "status"].contains(arguments.first ?? "") ? ["--catalog", "Datasets"] : []),
                     in: scratch.folder, environment: environment)
    }

    @Test func runStatusDiffVerifyShowAndGCWorkTogether() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("curve.yaml", curvePipeline)
        let first = try smash(["run", "curve.yaml"], scratch)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("| centroid    | nearest-centroid | miss  |"))
        #expect(first.standardError.contains("centroid: running nearest-centroid"))
        #expect(first.standardError.contains("9/9  100%"))
        let oldRun = try #require(ResultSetIndex(root: scratch.folder.appendingPathComponent("Results")).runs(of: "curve").first)

        let dry = try smash(["run", "curve.yaml", "--set", "stages.correlation.with.resamples=80", "--dry-run"], scratch)
        #expect(dry.status == 0)
        #expect(dry.standardOutput.contains("    why: stages.correlation.with.resamples changed: 50 → 80"))
        let second = try smash(["run", "curve.yaml", "--set", "stages.centroid.with.subsets=12", "--quiet"], scratch)
        #expect(second.status == 0)
        #expect(second.standardError.isEmpty)

        let text = try smash(["diff", oldRun.path, "Results/curve/latest"], scratch)
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("| stages.centroid.with.subsets | 9   | 12  |"))
        let json = try smash(["diff", oldRun.path, "Results/curve/latest", "--json"], scratch)
        let diff = try JSONDecoder().decode(ResultDiff.self, from: Data(json.standardOutput.utf8))
        for metric in diff.metrics {
            let row = text.standardOutput.split(separator: "\n").first { $0.hasPrefix("| \(metric.metric) ") }
            #expect(row?.contains(metric.verdict) == true, "\(metric.metric) is missing from the table")
            if let new = metric.new { #expect(row?.contains(String(format: "%.6g", new)) == true) }
        }
        #expect(diff.tables.first { $0.file == "centroid.subsets.csv" }?.onlyInNew == ["s9-k1", "s10-k3", "s11-k10"])

        let verified = try smash(["verify", "Results/curve/latest"], scratch)
        #expect(verified.status == 0)
        #expect(verified.standardOutput.contains("All 2 checked expectations met."))
        try scratch.write("strict.yaml", curvePipeline.replacingOccurrences(of: "{ equals: 4 }", with: "{ equals: 5 }"))
        let refused = try smash(["verify", "Results/curve/latest", "--pipeline", "strict.yaml", "--catalog", "Datasets"], scratch)
        #expect(refused.status == 1)
        #expect(refused.standardOutput.contains("FAIL: 4 differs from 5 by more than 0"))

        let record = try ResultSet(path: scratch.folder.appendingPathComponent("Results/curve/latest").path).record
        let key = try #require(record.stage("correlation")?.key)
        let shown = try smash(["show", ".smash/cache/correlate/\(key).h5"], scratch)
        #expect(shown.status == 0)
        #expect(shown.standardOutput.contains("@smash.kind = correlate"))
        #expect(shown.standardOutput.contains("/result/tables/pairs/1  float64 [12]"))

        let gc = try smash(["gc", "--dry-run"], scratch)
        #expect(gc.status == 0)
        #expect(gc.standardOutput.contains("2 result sets reference"))
        #expect(gc.standardOutput.contains("would remove 0 entries"))
    }

    @Test func diffCheckFailsWhenAMetricLeavesItsExpectation() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("curve.yaml", curvePipeline)
        #expect(try smash(["run", "curve.yaml", "--quiet"], scratch).status == 0)
        let same = try smash(["diff", "Results/curve/latest", "Results/curve/latest", "--check"], scratch)
        #expect(same.status == 0)
        #expect(same.standardOutput.contains("no parameter changed"))
        let latest = scratch.folder.appendingPathComponent("Results/curve/latest").resolvingSymlinksInPath()
        let edited = scratch.folder.appendingPathComponent("Results/curve/edited")
        try FileManager.default.copyItem(at: latest, to: edited)
        let metrics = edited.appendingPathComponent("metrics.json")
        let text = try String(contentsOf: metrics, encoding: .utf8)
        try text.replacingOccurrences(of: "\"summary.classes\" : 4", with: "\"summary.classes\" : 5")
            .write(to: metrics, atomically: true, encoding: .utf8)
        let changed = try smash(["diff", "Results/curve/latest", "Results/curve/edited", "--check"], scratch)
        #expect(changed.status == 1)
        #expect(changed.standardOutput.contains("fails expect: 5 differs from 4 by more than 0"))
    }

    @Test func statusExplainsStalenessWithoutRunning() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        try scratch.write("curve.yaml", curvePipeline)
        let never = try smash(["status", "curve.yaml"], scratch)
        #expect(never.status == 0)
        #expect(never.standardOutput.contains("    why: never run: no result set of this pipeline has the stage"))
        _ = try smash(["run", "curve.yaml", "--quiet"], scratch)
        let changed = try smash(["status", "curve.yaml", "--set", "seed=8"], scratch)
        let lines = changed.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasSuffix("stale") }.count == 3)
        #expect(lines.contains("    why: seed changed: 7 → 8"))
        #expect(lines.contains { $0.hasPrefix("    why: upstream 'centroid' changed") })
    }

    @Test func diffAndVerifyRejectAFolderThatIsNoResultSet() throws {
        let scratch = try TestWorkspace()
        defer { scratch.cleanUp() }
        let result = try smash(["verify", "Datasets"], scratch)
        #expect(result.status == 1)
        #expect(result.standardError == "error: Datasets: not a usable result set: run.json is missing or unreadable.\n")
        let diff = try smash(["diff", "nowhere", "Datasets"], scratch)
        #expect(diff.status == 1)
        #expect(diff.standardError == "error: nowhere: not a usable result set: no such folder.\n")
    }
}
